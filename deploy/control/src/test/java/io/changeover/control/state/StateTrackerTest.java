package io.changeover.control.state;

import static io.changeover.control.state.StateTracker.desired;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.changeover.capture.CapturePhase;

class StateTrackerTest {

    @Test
    void followsThePipelineThroughSnapshotStreamingAndReadiness() {
        MigrationStateMachineTest.MemoryStore store = new MigrationStateMachineTest.MemoryStore();
        StateTracker tracker = new StateTracker(MigrationStateMachine.resume(store, Clock.systemUTC()));
        tracker.observe(CapturePhase.SNAPSHOT, Optional.empty(), false);
        assertThat(store.saved.state()).isEqualTo(MigrationState.SNAPSHOTTING);
        tracker.observe(CapturePhase.STREAMING, Optional.empty(), true);
        assertThat(store.saved.state()).isEqualTo(MigrationState.STREAMING);
        tracker.observe(CapturePhase.STREAMING, Optional.empty(), true);
        assertThat(store.saved.state()).isEqualTo(MigrationState.READY_TO_CUT_OVER);
        tracker.observe(CapturePhase.STREAMING, Optional.empty(), false);
        assertThat(store.saved.state()).isEqualTo(MigrationState.STREAMING);
        tracker.observe(CapturePhase.STREAMING, Optional.of("sink failed: boom"), false);
        assertThat(store.saved.state()).isEqualTo(MigrationState.FAILED);
        assertThat(store.saved.reason()).isEqualTo("sink failed: boom");
    }

    @Test
    void seesAMoveMadeByAnotherProcess() {
        MigrationStateMachineTest.MemoryStore store = new MigrationStateMachineTest.MemoryStore();
        StateTracker tracker = new StateTracker(MigrationStateMachine.resume(store, Clock.systemUTC()));
        tracker.observe(CapturePhase.STREAMING, Optional.empty(), false);
        MigrationStateMachine.resume(store, Clock.systemUTC()).moveTo(MigrationState.CUTTING_OVER, "cutover process");
        tracker.observe(CapturePhase.STREAMING, Optional.empty(), false);
        assertThat(store.saved.state()).isEqualTo(MigrationState.CUTTING_OVER);
    }

    @Test
    void leavesOperatorStatesAlone() {
        for (MigrationState s : new MigrationState[] {MigrationState.CUTTING_OVER, MigrationState.CUT_OVER, MigrationState.PAUSED}) {
            assertThat(desired(s, CapturePhase.STREAMING, true, true)).as(s.label()).isEmpty();
        }
    }

    @Test
    void restartedCaptureDoesNotSendAStreamingMigrationBackToSnapshotting() {
        assertThat(desired(MigrationState.STREAMING, CapturePhase.STARTING, false, false)).contains(MigrationState.SNAPSHOTTING);
        assertThat(MigrationState.STREAMING.canMoveTo(MigrationState.SNAPSHOTTING)).isFalse();
        assertThat(desired(MigrationState.FAILED, CapturePhase.STREAMING, false, true)).contains(MigrationState.STREAMING);
        assertThat(desired(MigrationState.STREAMING, CapturePhase.STOPPED, false, true)).isEmpty();
    }
}
