package io.changeover.app.lag;

import java.util.List;

/**
 * One measurement of every stage's lag, taken in pipeline order (capture, then transform, then sink).
 *
 * @param waiting documents the transform holds waiting for {@code remap} answers, counted in {@code transform}'s
 *                events as well ({@link WaitingDocumentsReader})
 */
public record LagReport(StageLag capture, StageLag transform, StageLag sink, long waiting) {

    /** A measurement of a spec without {@code remap} steps, or with no document waiting. */
    public LagReport(StageLag capture, StageLag transform, StageLag sink) {
        this(capture, transform, sink, 0);
    }

    /** True when every change the source had when the measurement began has been applied to the target. */
    public boolean zero() {
        return capture.caughtUp() && transform.caughtUp() && sink.caughtUp();
    }

    public List<StageLag> stages() {
        return List.of(capture, transform, sink);
    }

    public String describe() {
        return "lag: capture " + String.format("%.1fs", Math.max(0, capture.seconds()))
                + ", transform " + transform.events() + " records"
                + (waiting > 0 ? " (" + waiting + " of them documents waiting for remap answers)" : "")
                + ", sink " + sink.events() + " records";
    }
}
