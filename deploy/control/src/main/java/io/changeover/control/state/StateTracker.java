package io.changeover.control.state;

import java.util.Optional;

import io.changeover.capture.CapturePhase;

/**
 * Moves the migration's state as the running pipeline progresses: snapshotting until the capture streams, then
 * streaming or ready-to-cut-over as readiness comes and goes, failed when a stage fails. It leaves alone the states
 * operators own: cutting-over, cut-over and paused.
 */
public final class StateTracker {
    private final MigrationStateMachine machine;

    public StateTracker(MigrationStateMachine machine) {
        this.machine = machine;
    }

    public MigrationStateMachine machine() {
        return machine;
    }

    /** Applies one observation of the pipeline. */
    public void observe(CapturePhase phase, Optional<String> failure, boolean ready) {
        MigrationState current = machine.reload().state();
        desired(current, phase, failure.isPresent(), ready)
                .ifPresent(next -> machine.tryMoveTo(current, next, reason(next, failure)));
    }

    /** The state the pipeline's observation calls for, if it differs from {@code current}. Pure. */
    static Optional<MigrationState> desired(MigrationState current, CapturePhase phase, boolean failed, boolean ready) {
        if (current == MigrationState.CUTTING_OVER || current == MigrationState.CUT_OVER || current == MigrationState.PAUSED) {
            return Optional.empty();
        }
        MigrationState next;
        if (failed) {
            next = MigrationState.FAILED;
        } else if (phase == CapturePhase.STOPPED || phase == CapturePhase.FAILED) {
            return Optional.empty();
        } else if (phase != CapturePhase.STREAMING) {
            next = MigrationState.SNAPSHOTTING;
        } else if (current == MigrationState.SNAPSHOTTING || current == MigrationState.FAILED) {
            next = MigrationState.STREAMING;
        } else {
            next = ready ? MigrationState.READY_TO_CUT_OVER : MigrationState.STREAMING;
        }
        return next == current ? Optional.empty() : Optional.of(next);
    }

    private static String reason(MigrationState next, Optional<String> failure) {
        return switch (next) {
            case FAILED -> failure.orElse("a stage failed");
            case SNAPSHOTTING -> "capture is snapshotting";
            case STREAMING -> "capture is streaming changes";
            case READY_TO_CUT_OVER -> "lag under the cutover threshold";
            default -> next.label();
        };
    }
}
