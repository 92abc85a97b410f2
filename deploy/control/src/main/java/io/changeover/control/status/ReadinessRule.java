package io.changeover.control.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.changeover.control.state.MigrationState;
import io.changeover.control.status.StatusReport.Readiness;

/**
 * When cutover is allowed: the migration is streaming (snapshot done, not failed, paused or already cut over), no
 * stage has failed, nothing is in the dead-letter topic (those records are not in the target), and the lag is under
 * the threshold. Every unmet condition is a reason, in words an operator can act on.
 */
public final class ReadinessRule {
    private final LagThreshold threshold;
    private final boolean allowDeadLetters;

    public ReadinessRule(LagThreshold threshold) {
        this(threshold, false);
    }

    /**
     * @param allowDeadLetters the operator has inspected the dead letters and accepts cutting over without them
     */
    public ReadinessRule(LagThreshold threshold, boolean allowDeadLetters) {
        this.threshold = threshold;
        this.allowDeadLetters = allowDeadLetters;
    }

    public LagThreshold threshold() {
        return threshold;
    }

    /**
     * @param state          the migration state, empty when none was saved yet
     * @param failure        a stage's failure, if one failed
     * @param lagEvents      records behind in transform and sink
     * @param lagSeconds     lag in seconds: the age of the oldest change not yet in the target, the capture's lag
     *                       included (docs/lag.md); negative when unknown
     * @param deadLetters    records in the dead-letter topic
     */
    public Readiness evaluate(Optional<MigrationState> state, Optional<String> failure, long lagEvents, double lagSeconds,
                              long deadLetters) {
        List<String> reasons = new ArrayList<>();
        if (state.isEmpty()) {
            reasons.add("the migration has not started: no state in the target's metadata");
        } else {
            switch (state.get()) {
                case SNAPSHOTTING -> reasons.add("the snapshot is not finished");
                case FAILED -> reasons.add("the migration failed: fix it and restart `changeover run`");
                case PAUSED -> reasons.add("the migration is paused");
                case CUTTING_OVER -> reasons.add("a cutover is running");
                case CUT_OVER -> reasons.add("the migration is already cut over");
                default -> { }
            }
        }
        failure.ifPresent(f -> reasons.add(f));
        if (deadLetters > 0 && !allowDeadLetters) {
            reasons.add(deadLetters + " record(s) in the dead-letter topic are not in the target: fix and replay them first (or --allow-dead-letters)");
        }
        if (lagSeconds < 0) {
            reasons.add(String.format("lag %,d records, its age in seconds unknown: the capture has written nothing yet, or a "
                    + "change held carries no position", lagEvents));
        } else if (!threshold.admits(lagEvents, lagSeconds)) {
            reasons.add(String.format("lag %,d records / %.1f s is above the threshold (%s)", lagEvents, lagSeconds, threshold));
        }
        return new Readiness(reasons.isEmpty(), reasons);
    }
}
