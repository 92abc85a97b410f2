package io.changeover.app.status;

import java.time.Instant;
import java.util.List;

/**
 * What an operator needs to decide about a migration, measured at one moment: its state, snapshot progress per
 * collection, lag and throughput per stage, dead letters, whether cutover is allowed now, warnings.
 *
 * @param migration    migration name
 * @param at           when it was measured
 * @param state        the migration state's label ("unknown" before the pipeline saved one)
 * @param stateReason  why the migration is in that state
 * @param stateSince   when it moved there (null when unknown)
 * @param collections  per source collection, in spec order
 * @param stages       capture, transform, sink, in pipeline order
 * @param throughput   documents per second the sink applied to the target since the previous measurement (-1 unknown)
 * @param deadLetters  records in the dead-letter topic
 * @param cutover      whether cutover is allowed now, and why not
 * @param warnings     things an operator should know (replay would be incomplete, ...)
 */
public record StatusReport(String migration, Instant at, String state, String stateReason, Instant stateSince,
                           List<CollectionStatus> collections, List<StageStatus> stages, double throughput,
                           long deadLetters, Readiness cutover, List<String> warnings) {
    public StatusReport {
        collections = List.copyOf(collections);
        stages = List.copyOf(stages);
        warnings = List.copyOf(warnings);
    }

    /** Total records behind in transform and sink. */
    public long lagEvents() {
        return stages.stream().mapToLong(s -> Math.max(0, s.events())).sum();
    }

    /** Seconds behind: the largest of the stages' figures (measured for capture, estimated for the others). */
    public double lagSeconds() {
        return stages.stream().mapToDouble(s -> Math.max(0, s.seconds())).max().orElse(0);
    }

    /**
     * Snapshot progress of one source collection.
     *
     * @param collection      source collection
     * @param target          target collection
     * @param estimatedCount  the source's estimated document count (-1 unknown)
     * @param snapshotRecords documents read by the snapshot so far
     * @param changeEvents    changes streamed so far (-1 when not known in this process)
     * @param snapshotDone    whether the snapshot of this collection is finished
     * @param etaSeconds      estimated seconds until its snapshot is done (0 when done, -1 unknown)
     */
    public record CollectionStatus(String collection, String target, long estimatedCount, long snapshotRecords,
                                   long changeEvents, boolean snapshotDone, double etaSeconds) {
        /** Fraction of the snapshot done, 0..1. */
        public double fraction() {
            if (snapshotDone) {
                return 1;
            }
            return estimatedCount <= 0 ? 0 : Math.min(1, (double) snapshotRecords / estimatedCount);
        }
    }

    /**
     * One stage.
     *
     * @param stage      capture, transform or sink
     * @param events     records behind (-1 where the stage is measured in time only)
     * @param seconds    seconds behind: measured for capture; for transform and sink, records behind divided by the
     *                   stage's recent throughput (-1 when it cannot be estimated: records behind and no progress)
     * @param throughput records per second the stage consumed since the previous measurement (-1 unknown)
     */
    public record StageStatus(String stage, long events, double seconds, double throughput) {
    }

    /**
     * Whether cutover is allowed now.
     *
     * @param allowed whether every condition holds
     * @param reasons why not (empty when allowed)
     */
    public record Readiness(boolean allowed, List<String> reasons) {
        public Readiness {
            reasons = List.copyOf(reasons);
        }
    }
}
