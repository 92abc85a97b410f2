package io.changeover.control.lag;

import java.util.List;

import io.changeover.transform.format.SourcePosition;

/**
 * One measurement of every stage's lag, taken in pipeline order (capture, then transform, then sink), and of what the
 * pipeline holds of each collection's changes ({@code docs/lag.md}).
 *
 * @param capture     seconds the capture is behind the source
 * @param transform   records of every topic the transform reads (internal ones included) not consumed, plus documents
 *                    waiting; and the age of the oldest change it holds
 * @param sink        output records not applied; and the age of the oldest
 * @param waiting     documents the transform holds waiting for {@code remap} answers, counted in {@code transform}'s
 *                    events as well ({@link WaitingDocumentsReader})
 * @param sourceNow   the source's latest cluster time when the measurement began (ages are measured against it)
 * @param collections per collection, what each stage holds of its changes
 * @param held        over all collections: changes the transform holds (raw records and waiting documents), and
 *                    output records the sink holds (each topic counted once)
 */
public record LagReport(StageLag capture, StageLag transform, StageLag sink, long waiting, SourcePosition sourceNow,
                        List<CollectionLag> collections, Held held) {

    /** Changes held over all collections, by stage. */
    public record Held(Backlog transform, long internal, Backlog sink) {
        public static final Held NONE = new Held(Backlog.NONE, 0, Backlog.NONE);

        public Backlog pending() {
            return transform.plus(sink);
        }
    }

    public LagReport {
        collections = List.copyOf(collections);
    }

    /** A measurement of a spec without {@code remap} steps, or with no document waiting. */
    public LagReport(StageLag capture, StageLag transform, StageLag sink) {
        this(capture, transform, sink, 0);
    }

    /** A measurement of the stages only (no per-collection figures). */
    public LagReport(StageLag capture, StageLag transform, StageLag sink, long waiting) {
        this(capture, transform, sink, waiting, SourcePosition.ZERO, List.of(), Held.NONE);
    }

    /** True when every change the source had when the measurement began has been applied to the target. */
    public boolean zero() {
        return capture.caughtUp() && transform.caughtUp() && sink.caughtUp();
    }

    public List<StageLag> stages() {
        return List.of(capture, transform, sink);
    }

    /** Seconds the capture is behind, at least 0. */
    public double captureSeconds() {
        return Math.max(0, capture.seconds());
    }

    /**
     * Lag in seconds of one collection: the age of the oldest of its changes not yet in the target, the capture's
     * included (a change not captured yet may be of any collection); {@link LagAge#UNKNOWN} when an oldest position
     * is not known.
     */
    public double seconds(CollectionLag c) {
        return combined(LagAge.seconds(sourceNow, c.pending(), c.internal()));
    }

    /** Lag in seconds over all collections. */
    public double seconds() {
        return combined(LagAge.seconds(sourceNow, held.pending(), held.internal()));
    }

    /** Source changes captured and not yet applied, over all collections. */
    public long changes() {
        return held.pending().changes();
    }

    private double combined(double held) {
        return held == LagAge.UNKNOWN || capture.seconds() < 0 ? LagAge.UNKNOWN : Math.max(captureSeconds(), held);
    }

    /** Why lag in seconds is unknown, when it is: what an operator should look at. */
    public String unknownBecause() {
        if (capture.seconds() < 0) {
            return "the capture has written nothing yet";
        }
        return "a change held carries no position (an output record without a changeover.position header)";
    }

    public String describe() {
        return "lag: " + (collections.isEmpty() ? "" : seconds() < 0 ? "oldest change unknown, "
                : String.format("oldest change %.1fs, ", seconds()))
                + "capture " + (capture.seconds() < 0 ? "unknown (nothing captured yet)" : String.format("%.1fs", captureSeconds()))
                + ", transform " + transform.events() + " records"
                + (waiting > 0 ? " (" + waiting + " of them documents waiting for remap answers)" : "")
                + ", sink " + sink.events() + " records";
    }
}
