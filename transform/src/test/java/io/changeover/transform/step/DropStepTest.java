package io.changeover.transform.step;

import static io.changeover.transform.step.StepFixtures.apply;
import static io.changeover.transform.step.StepFixtures.map;
import static io.changeover.transform.step.StepFixtures.step;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class DropStepTest {
    private final Step drop = step("drop", map("status", map("$in", List.of("cancelled", "deleted"))));

    @Test
    void matchingDocumentsAreFilteredOutAndTheOthersPassUnchanged() {
        assertThat(apply(drop, "{_id: 1, status: 'cancelled'}")).isEmpty();
        assertThat(apply(drop, "{_id: 2, status: 'done'}")).contains(StepFixtures.doc("{_id: 2, status: 'done'}"));
        assertThat(apply(drop, "{_id: 3}")).isPresent();
    }
}
