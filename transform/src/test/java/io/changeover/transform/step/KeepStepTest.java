package io.changeover.transform.step;

import static io.changeover.transform.step.StepFixtures.apply;
import static io.changeover.transform.step.StepFixtures.doc;
import static io.changeover.transform.step.StepFixtures.map;
import static io.changeover.transform.step.StepFixtures.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.changeover.transform.spec.SpecException;

class KeepStepTest {
    @Test
    void keepsMatchingDocumentsUnchanged() {
        Step keep = step("keep", map("status", "completed"));
        assertThat(apply(keep, "{_id: 1, status: 'completed', x: 2}")).contains(doc("{_id: 1, status: 'completed', x: 2}"));
    }

    @Test
    void filtersOutOthers() {
        Step keep = step("keep", map("status", "completed"));
        assertThat(apply(keep, "{_id: 1, status: 'running'}")).isEmpty();
    }

    @Test
    void operatorsWrittenInYamlWork() {
        Step keep = step("keep", map("attempts", map("$lt", 3), "$or", List.of(map("a", 1), map("b", map("$exists", true)))));
        assertThat(apply(keep, "{_id: 1, attempts: 2, b: null}")).isPresent();
        assertThat(apply(keep, "{_id: 1, attempts: 2}")).isEmpty();
        assertThat(apply(keep, "{_id: 1, attempts: 3, a: 1}")).isEmpty();
    }

    @Test
    void badFilterFailsAtCompileTimeNamingTheStep() {
        assertThatThrownBy(() -> step("keep", map("a", map("$foo", 1)))).isInstanceOf(SpecException.class)
                .hasMessageContaining("step 1 (keep)").hasMessageContaining("$foo");
    }
}
