package io.changeover.transform.step;

import static io.changeover.transform.step.StepFixtures.applied;
import static io.changeover.transform.step.StepFixtures.doc;
import static io.changeover.transform.step.StepFixtures.map;
import static io.changeover.transform.step.StepFixtures.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.changeover.transform.spec.SpecException;

class RenameStepTest {
    @Test
    void renamesTopLevelAndNestedFieldsKeepingValuesAndTypes() {
        Step rename = step("rename", map("job_type", "type", "input_data.seq", "input_data.sequence"));
        assertThat(applied(rename, "{_id: 1, job_type: 'x', input_data: {seq: {$numberLong: '5'}, keep: true}}"))
                .isEqualTo(doc("{_id: 1, input_data: {keep: true, sequence: {$numberLong: '5'}}, type: 'x'}"));
    }

    @Test
    void movesAValueIntoANewSubdocument() {
        Step rename = step("rename", map("city", "address.city"));
        assertThat(applied(rename, "{_id: 1, city: 'Oslo'}")).isEqualTo(doc("{_id: 1, address: {city: 'Oslo'}}"));
    }

    @Test
    void missingFieldIsLeftMissingAndTargetIsNotCreated() {
        Step rename = step("rename", map("a", "b"));
        assertThat(applied(rename, "{_id: 1, c: 2}")).isEqualTo(doc("{_id: 1, c: 2}"));
    }

    @Test
    void existingTargetIsOverwritten() {
        Step rename = step("rename", map("a", "b"));
        assertThat(applied(rename, "{_id: 1, a: 1, b: 2}")).isEqualTo(doc("{_id: 1, b: 1}"));
    }

    @Test
    void targetUnderAScalarIsADataError() {
        Step rename = step("rename", map("a", "b.c"));
        assertThatThrownBy(() -> applied(rename, "{_id: 1, a: 1, b: 'text'}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'b' holds string");
    }

    @Test
    void argumentsAreCheckedAtCompileTime() {
        assertThatThrownBy(() -> step("rename", map("a", "a.b"))).isInstanceOf(SpecException.class)
                .hasMessageContaining("step 1 (rename)").hasMessageContaining("one contains the other");
        assertThatThrownBy(() -> step("rename", map("_id", "legacy_id"))).hasMessageContaining("_id");
        assertThatThrownBy(() -> step("rename", map("a", 5))).hasMessageContaining("new path of 'a'");
        assertThatThrownBy(() -> step("rename", map("a..b", "c"))).hasMessageContaining("'a..b'");
        assertThatThrownBy(() -> step("rename", "a")).hasMessageContaining("expected a map");
    }
}
