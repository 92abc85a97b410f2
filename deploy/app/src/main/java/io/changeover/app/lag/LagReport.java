package io.changeover.app.lag;

import java.util.List;

/** One measurement of every stage's lag, taken in pipeline order (capture, then transform, then sink). */
public record LagReport(StageLag capture, StageLag transform, StageLag sink) {

    /** True when every change the source had when the measurement began has been applied to the target. */
    public boolean zero() {
        return capture.caughtUp() && transform.caughtUp() && sink.caughtUp();
    }

    public List<StageLag> stages() {
        return List.of(capture, transform, sink);
    }

    public String describe() {
        return "lag: capture " + String.format("%.1fs", Math.max(0, capture.seconds()))
                + ", transform " + transform.events() + " records, sink " + sink.events() + " records";
    }
}
