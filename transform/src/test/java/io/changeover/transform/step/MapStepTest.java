package io.changeover.transform.step;

import static io.changeover.transform.step.StepFixtures.applied;
import static io.changeover.transform.step.StepFixtures.doc;
import static io.changeover.transform.step.StepFixtures.map;
import static io.changeover.transform.step.StepFixtures.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MapStepTest {
    private final Step status = step("map", map("field", "status", "values", map("COMPLETED", "completed", "done", "completed")));

    @Test
    void replacesListedValues() {
        assertThat(applied(status, "{_id: 1, status: 'COMPLETED'}")).isEqualTo(doc("{_id: 1, status: 'completed'}"));
        assertThat(applied(status, "{_id: 1, status: 'done'}")).isEqualTo(doc("{_id: 1, status: 'completed'}"));
    }

    @Test
    void keepsUnlistedValuesWithoutDefault() {
        assertThat(applied(status, "{_id: 1, status: 'running'}")).isEqualTo(doc("{_id: 1, status: 'running'}"));
    }

    @Test
    void defaultReplacesUnlistedValues() {
        Step withDefault = step("map", map("field", "status", "values", map("done", "completed"), "default", "other"));
        assertThat(applied(withDefault, "{_id: 1, status: 'running'}")).isEqualTo(doc("{_id: 1, status: 'other'}"));
        assertThat(applied(withDefault, "{_id: 1, status: 'done'}")).isEqualTo(doc("{_id: 1, status: 'completed'}"));
    }

    @Test
    void missingFieldStaysMissingEvenWithDefault() {
        Step withDefault = step("map", map("field", "status", "values", map("done", "completed"), "default", "other"));
        assertThat(applied(withDefault, "{_id: 1}")).isEqualTo(doc("{_id: 1}"));
    }

    @Test
    void numericKeysMatchNumbersOfAnyType() {
        Step codes = step("map", map("field", "state.code", "values", map("1", "active", "2", "closed")));
        assertThat(applied(codes, "{_id: 1, state: {code: {$numberLong: '1'}}}")).isEqualTo(doc("{_id: 1, state: {code: 'active'}}"));
        assertThat(applied(codes, "{_id: 1, state: {code: 2.0}}")).isEqualTo(doc("{_id: 1, state: {code: 'closed'}}"));
        assertThat(applied(codes, "{_id: 1, state: {code: 3}}")).isEqualTo(doc("{_id: 1, state: {code: 3}}"));
    }

    @Test
    void arraysAreMappedElementByElement() {
        assertThat(applied(status, "{_id: 1, status: ['done', 'x']}")).isEqualTo(doc("{_id: 1, status: ['completed', 'x']}"));
    }

    @Test
    void argumentsAreChecked() {
        assertThatThrownBy(() -> step("map", map("field", "s"))).hasMessageContaining("'values'");
        assertThatThrownBy(() -> step("map", map("values", map("a", "b")))).hasMessageContaining("'field'");
        assertThatThrownBy(() -> step("map", map("field", "s", "values", map("a", "b"), "dflt", 1)))
                .hasMessageContaining("unknown argument 'dflt'");
    }
}
