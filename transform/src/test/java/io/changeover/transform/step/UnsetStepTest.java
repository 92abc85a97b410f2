package io.changeover.transform.step;

import static io.changeover.transform.step.StepFixtures.applied;
import static io.changeover.transform.step.StepFixtures.doc;
import static io.changeover.transform.step.StepFixtures.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class UnsetStepTest {
    @Test
    void removesTopLevelAndNestedFields() {
        Step unset = step("unset", List.of("legacy_flag", "input_data.tmp"));
        assertThat(applied(unset, "{_id: 1, legacy_flag: true, input_data: {tmp: 1, keep: 2}}"))
                .isEqualTo(doc("{_id: 1, input_data: {keep: 2}}"));
    }

    @Test
    void missingFieldsAreIgnored() {
        Step unset = step("unset", "nothing.here");
        assertThat(applied(unset, "{_id: 1, nothing: 5}")).isEqualTo(doc("{_id: 1, nothing: 5}"));
    }

    @Test
    void arrayElementByIndexBecomesNull() {
        Step unset = step("unset", List.of("a.1"));
        assertThat(applied(unset, "{_id: 1, a: [1, 2, 3]}")).isEqualTo(doc("{_id: 1, a: [1, null, 3]}"));
    }

    @Test
    void idCannotBeRemoved() {
        assertThatThrownBy(() -> step("unset", List.of("_id"))).hasMessageContaining("cannot unset '_id'");
        assertThatThrownBy(() -> step("unset", List.of())).hasMessageContaining("non-empty list");
    }
}
