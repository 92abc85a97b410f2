package io.changeover.control.state;

import java.util.EnumSet;
import java.util.Set;

/**
 * The named states of one migration, with the transitions allowed out of each and where a restarted process resumes.
 */
public enum MigrationState {
    SNAPSHOTTING("snapshotting"),
    STREAMING("streaming"),
    READY_TO_CUT_OVER("ready-to-cut-over"),
    CUTTING_OVER("cutting-over"),
    CUT_OVER("cut-over"),
    FAILED("failed"),
    PAUSED("paused");

    private final String label;

    MigrationState(String label) {
        this.label = label;
    }

    /** The name operators see (status, JSON, metrics, the metadata document). */
    public String label() {
        return label;
    }

    public static MigrationState fromLabel(String label) {
        for (MigrationState s : values()) {
            if (s.label.equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown migration state '" + label + "'");
    }

    /** States this one may move to. */
    public Set<MigrationState> next() {
        return switch (this) {
            case SNAPSHOTTING -> EnumSet.of(STREAMING, FAILED, PAUSED);
            case STREAMING -> EnumSet.of(READY_TO_CUT_OVER, CUTTING_OVER, FAILED, PAUSED);
            case READY_TO_CUT_OVER -> EnumSet.of(STREAMING, CUTTING_OVER, FAILED, PAUSED);
            case CUTTING_OVER -> EnumSet.of(CUT_OVER, STREAMING, FAILED);
            case CUT_OVER -> EnumSet.noneOf(MigrationState.class);
            case FAILED -> EnumSet.of(SNAPSHOTTING, STREAMING, PAUSED);
            case PAUSED -> EnumSet.of(SNAPSHOTTING, STREAMING, FAILED);
        };
    }

    public boolean canMoveTo(MigrationState target) {
        return next().contains(target);
    }

    /**
     * Where a process that finds this state persisted resumes. Readiness is measured again, so ready-to-cut-over
     * resumes as streaming; a cutover that a crash interrupted did not finish, so it resumes as streaming too (the
     * operator's unfence hook must run: see docs/cutover.md). Cut-over, failed and paused stay as they are until an
     * operator acts.
     */
    public MigrationState afterRestart() {
        return switch (this) {
            case READY_TO_CUT_OVER, CUTTING_OVER -> STREAMING;
            default -> this;
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
