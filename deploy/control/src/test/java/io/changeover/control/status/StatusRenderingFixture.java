package io.changeover.control.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.changeover.control.status.StatusReport.CollectionStatus;
import io.changeover.control.status.StatusReport.DeadLetters;
import io.changeover.control.status.StatusReport.Detail;
import io.changeover.control.status.StatusReport.Readiness;
import io.changeover.control.status.StatusReport.Snapshot;
import io.changeover.control.status.StatusReport.StageStatus;

/** Fixed status reports and histories for tests of their renderings (text, JSON, metrics, the operator page). */
public final class StatusRenderingFixture {
    public static final Instant AT = Instant.parse("2026-11-21T10:00:00Z");

    private StatusRenderingFixture() {
    }

    /** A streaming migration with a backlog: 12.5 s and 19 changes behind, catching up, a dead letter, cutover not allowed. */
    public static StatusReport report() {
        return report(false, 7);
    }

    /**
     * @param allowed whether cutover is allowed
     * @param sinkLag changes the sink holds (of 19 = 12 in the transform + this)
     */
    public static StatusReport report(boolean allowed, long sinkLag) {
        Flow flow = new Flow(100, 110, 30);
        LagFigures lag = new LagFigures(12.5, 12 + sinkLag, flow);
        return new StatusReport("demo", AT, "streaming", "capture is streaming changes", AT.minusSeconds(60), lag,
                List.of(new CollectionStatus("jobs", List.of("jobs_v2"), new Snapshot(20_000, 20_000, true, 0), 42, lag,
                                new Detail(10, 2, 5, sinkLag)),
                        new CollectionStatus("owners", List.of(), null, -1, new LagFigures(0, 0, new Flow(0, 0, 30)),
                                new Detail(0, 0, 0, 0))),
                List.of(new StageStatus("capture", -1, 0.4, 0, 1200), new StageStatus("transform", 12, 12.5, 5, 1100),
                        new StageStatus("sink", sinkLag, 3, 0, 900)),
                List.of(new StageInstances.Instance("capture", "capture-a", "/10.0.0.5", "active", 1),
                        new StageInstances.Instance("capture", "capture-b", "/10.0.0.6", "standby", 0),
                        new StageInstances.Instance("transform", "changeover-demo-transform-7f3a", "/10.0.0.7", "member", 8)),
                new DeadLetters(3, List.of(new DeadLetterCount.Sample("transform", "jobs", "remap: not a valid id", AT))),
                new Readiness(allowed, allowed ? List.of() : List.of("3 record(s) in the dead-letter topic")),
                List.of("replay at risk: raw topic x has retention.ms=1000"));
    }

    /** A migration still snapshotting: 25% of jobs read, 30 s left. */
    public static StatusReport snapshotting() {
        LagFigures lag = new LagFigures(40, 15_000, Flow.UNKNOWN);
        return new StatusReport("demo", AT, "snapshotting", "capture is snapshotting", AT.minusSeconds(40), lag,
                List.of(new CollectionStatus("jobs", List.of("jobs_v2"), new Snapshot(20_000, 5_000, false, 30), 0, lag,
                        new Detail(15_000, 0, 0, 0))),
                List.of(new StageStatus("capture", -1, 0, 0, -1), new StageStatus("transform", 15_000, 40, 0, -1),
                        new StageStatus("sink", 0, 0, 0, -1)),
                List.of(), new DeadLetters(0, List.of()), new Readiness(false, List.of("the snapshot is not finished")), List.of());
    }

    /**
     * Ten minutes of samples every 2 s before {@link #AT}: a backlog that builds for five minutes (lag rising to 300
     * s and 30,000 changes) and drains in the next five, ending at zero.
     */
    public static LagHistory history() {
        LagHistory history = new LagHistory();
        for (int s = 600; s >= 0; s -= 2) {
            int t = 600 - s;   // seconds since the first sample
            double up = t <= 300 ? t / 300.0 : (600 - t) / 300.0;
            Flow flow = new Flow(100, t <= 300 ? 0 : 200, 30);
            LagFigures lag = new LagFigures(300 * up, Math.round(30_000 * up), flow);
            history.add(new LagHistory.Sample(AT.minus(Duration.ofSeconds(s)), lag, 1, Map.of(), Flow.Counts.ZERO, Map.of()));
        }
        return history;
    }
}
