package io.changeover.control.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.changeover.control.state.MigrationState;
import io.changeover.control.status.StatusReport.Readiness;

class ReadinessRuleTest {
    private final ReadinessRule rule = new ReadinessRule(new LagThreshold(100, 2));

    @Test
    void streamingUnderTheThresholdIsAllowed() {
        assertThat(rule.evaluate(Optional.of(MigrationState.STREAMING), Optional.empty(), 100, 2, 0).allowed()).isTrue();
        assertThat(rule.evaluate(Optional.of(MigrationState.READY_TO_CUT_OVER), Optional.empty(), 0, 0, 0).allowed()).isTrue();
    }

    @Test
    void everyUnmetConditionIsAReason() {
        Readiness r = rule.evaluate(Optional.of(MigrationState.SNAPSHOTTING), Optional.of("sink failed: target down"), 101, 0, 4);
        assertThat(r.allowed()).isFalse();
        assertThat(r.reasons()).containsExactly("the snapshot is not finished", "sink failed: target down",
                "4 record(s) in the dead-letter topic are not in the target: fix and replay them first (or --allow-dead-letters)",
                "lag 101 records / 0.0 s is above the threshold (100 records and 2.0 s)");
    }

    @Test
    void deadLettersAllowedByTheOperatorDoNotBlock() {
        assertThat(new ReadinessRule(new LagThreshold(100, 2), true)
                .evaluate(Optional.of(MigrationState.STREAMING), Optional.empty(), 0, 0, 4).allowed()).isTrue();
    }

    @Test
    void captureSecondsCountAgainstTheThreshold() {
        assertThat(rule.evaluate(Optional.of(MigrationState.STREAMING), Optional.empty(), 0, 2.5, 0).reasons())
                .singleElement().asString().contains("above the threshold");
    }

    @Test
    void statesThatForbidCutover() {
        for (MigrationState s : new MigrationState[] {MigrationState.FAILED, MigrationState.PAUSED, MigrationState.CUTTING_OVER,
                MigrationState.CUT_OVER}) {
            assertThat(rule.evaluate(Optional.of(s), Optional.empty(), 0, 0, 0).allowed()).as(s.label()).isFalse();
        }
        assertThat(rule.evaluate(Optional.empty(), Optional.empty(), 0, 0, 0).reasons())
                .containsExactly("the migration has not started: no state in the target's metadata");
    }
}
