package io.changeover.control.status;

import java.time.Instant;
import java.util.List;

/**
 * What an operator needs to decide about a migration, measured at one moment: its state, snapshot progress and lag
 * per collection, lag and throughput per stage, rates and time to zero lag, dead letters, whether cutover is allowed
 * now, warnings. Every figure is defined in docs/lag.md and docs/status.md.
 *
 * @param migration    migration name
 * @param at           when it was measured
 * @param state        the migration state's label ("unknown" before the pipeline saved one)
 * @param stateReason  why the migration is in that state
 * @param stateSince   when it moved there (null when unknown)
 * @param lag          lag over all collections
 * @param collections  per source collection: migrated ones in spec order, then side collections read by lookups
 * @param stages       capture, transform, sink, in pipeline order
 * @param instances    the live processes of each stage, as Kafka's consumer groups see them
 * @param deadLetters  records in the dead-letter topic, with the latest few
 * @param cutover      whether cutover is allowed now, and why not
 * @param warnings     things an operator should know (replay would be incomplete, ...)
 */
public record StatusReport(String migration, Instant at, String state, String stateReason, Instant stateSince,
                           LagFigures lag, List<CollectionStatus> collections, List<StageStatus> stages,
                           List<StageInstances.Instance> instances, DeadLetters deadLetters, Readiness cutover,
                           List<String> warnings) {
    public StatusReport {
        collections = List.copyOf(collections);
        stages = List.copyOf(stages);
        instances = List.copyOf(instances);
        warnings = List.copyOf(warnings);
    }

    /** Whether some collection's snapshot is still running: lag then says less than snapshot progress. */
    public boolean snapshotting() {
        return collections.stream().anyMatch(c -> c.snapshot() != null && !c.snapshot().done());
    }

    /** Fraction of the snapshot done over every migrated collection, 0..1. */
    public double snapshotFraction() {
        long estimated = 0;
        long read = 0;
        for (CollectionStatus c : collections) {
            if (c.snapshot() == null) {
                continue;
            }
            if (!c.snapshot().done() && c.snapshot().estimatedCount() < 0) {
                return 0;
            }
            long total = c.snapshot().done() ? Math.max(c.snapshot().records(), Math.max(0, c.snapshot().estimatedCount()))
                    : c.snapshot().estimatedCount();
            estimated += total;
            read += c.snapshot().done() ? total : Math.min(total, c.snapshot().records());
        }
        return estimated == 0 ? (snapshotting() ? 0 : 1) : (double) read / estimated;
    }

    /** Seconds until every snapshot is done: the longest of the collections' (0 when done, -1 unknown). */
    public double snapshotSecondsLeft() {
        double left = 0;
        for (CollectionStatus c : collections) {
            if (c.snapshot() != null && !c.snapshot().done()) {
                if (c.snapshot().secondsLeft() < 0) {
                    return -1;
                }
                left = Math.max(left, c.snapshot().secondsLeft());
            }
        }
        return left;
    }

    /**
     * One source collection.
     *
     * @param collection   source collection
     * @param targets      target collections its changes go to (empty for a side collection read by lookups only)
     * @param snapshot     its snapshot's progress (null for a side collection)
     * @param changeEvents changes streamed so far (-1 when not known in this process)
     * @param lag          its lag
     * @param detail       where its pending changes are
     */
    public record CollectionStatus(String collection, List<String> targets, Snapshot snapshot, long changeEvents,
                                   LagFigures lag, Detail detail) {
        public CollectionStatus {
            targets = List.copyOf(targets);
        }
    }

    /**
     * Snapshot progress of one source collection.
     *
     * @param estimatedCount the source's estimated document count (-1 unknown)
     * @param records        documents read by the snapshot so far
     * @param done           whether its snapshot is finished
     * @param secondsLeft    estimated seconds until it is done (0 when done, -1 unknown)
     */
    public record Snapshot(long estimatedCount, long records, boolean done, double secondsLeft) {
        /** Fraction done, 0..1. */
        public double fraction() {
            if (done) {
                return 1;
            }
            return estimatedCount <= 0 ? 0 : Math.min(1, (double) records / estimatedCount);
        }
    }

    /**
     * Where one collection's pending changes are (the detailed view).
     *
     * @param transformChanges raw records the transform has not consumed
     * @param waitingDocuments documents the transform holds waiting for {@code remap} answers
     * @param internalRecords  records of the transform's internal topics not consumed (work, not changes)
     * @param sinkChanges      output records the sink has not applied
     */
    public record Detail(long transformChanges, long waitingDocuments, long internalRecords, long sinkChanges) {
    }

    /**
     * One stage.
     *
     * @param stage           capture, transform or sink
     * @param changes         changes it holds (-1 for capture: changes not captured yet are not counted)
     * @param seconds         age of the oldest change it holds (capture: how far behind the source it is)
     * @param internalRecords records of internal topics it has not consumed (transform only)
     * @param throughput      records per second it consumed over the rate window (-1 unknown)
     */
    public record StageStatus(String stage, long changes, double seconds, long internalRecords, double throughput) {
    }

    /**
     * The dead-letter topic.
     *
     * @param count  records in it
     * @param latest the latest few, newest last
     */
    public record DeadLetters(long count, List<DeadLetterCount.Sample> latest) {
        public DeadLetters {
            latest = List.copyOf(latest);
        }
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
