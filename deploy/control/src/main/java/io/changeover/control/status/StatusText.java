package io.changeover.control.status;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.changeover.control.status.StatusReport.CollectionStatus;
import io.changeover.control.status.StatusReport.Snapshot;
import io.changeover.control.status.StatusReport.StageStatus;

/** Renders a {@link StatusReport} as the text {@code changeover status} prints. Pure. */
public final class StatusText {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private StatusText() {
    }

    public static String render(StatusReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("migration ").append(r.migration()).append(" at ").append(TIME.format(r.at())).append('\n');
        sb.append("  state      ").append(r.state());
        if (r.stateSince() != null) {
            sb.append(" since ").append(TIME.format(r.stateSince()));
        }
        if (!r.stateReason().isEmpty()) {
            sb.append(" (").append(r.stateReason()).append(')');
        }
        sb.append('\n');
        sb.append("  lag        ").append(headline(r)).append('\n');
        sb.append("  rates      ").append(rates(r.lag())).append('\n');
        int nameWidth = Math.max(10, r.collections().stream().mapToInt(c -> name(c).length()).max().orElse(0));
        int snapshotWidth = Math.max(8, r.collections().stream().mapToInt(c -> snapshot(c.snapshot()).length()).max().orElse(0));
        String row = "  %-" + nameWidth + "s  %-" + snapshotWidth + "s %11s %11s %9s %9s %12s%n";
        sb.append(String.format(row, "collection", "snapshot", "lag seconds", "lag changes", "source/s", "applied/s", "time to zero"));
        for (CollectionStatus c : r.collections()) {
            LagFigures lag = c.lag();
            boolean snapshotting = c.snapshot() != null && !c.snapshot().done();
            sb.append(String.format(row, name(c), snapshot(c.snapshot()),
                    snapshotting ? "snapshot" : seconds(lag.seconds()), String.format("%,d", lag.changes()), perSecond(lag.flow().sourcePerSecond()),
                    perSecond(lag.flow().appliedPerSecond()), snapshotting ? "-" : toZero(lag)));
        }
        sb.append("  stage      lag changes  lag seconds  internal   throughput\n");
        for (StageStatus s : r.stages()) {
            sb.append(String.format("  %-10s %11s  %11s  %8s   %s%n", s.stage(), s.changes() < 0 ? "-" : String.format("%,d", s.changes()),
                    seconds(s.seconds()), s.stage().equals("transform") ? String.format("%,d", s.internalRecords()) : "-",
                    s.throughput() < 0 ? "-" : String.format("%,.0f records/s", s.throughput())));
        }
        if (r.instances().isEmpty()) {
            sb.append("  processes  none in the stages' consumer groups\n");
        }
        for (StageInstances.Instance i : r.instances()) {
            sb.append(String.format("  process    %-10s %-8s %s %s, %d partition(s)%n", i.stage(), i.role(), i.id(), i.host(),
                    i.partitions()));
        }
        sb.append(String.format("  dead letters %,d%n", r.deadLetters().count()));
        r.deadLetters().latest().forEach(d -> sb.append("    - ").append(d.stage()).append(' ').append(d.collection())
                .append(": ").append(d.reason()).append('\n'));
        if (r.cutover().allowed()) {
            sb.append("  cutover    ALLOWED now\n");
        } else {
            sb.append("  cutover    not allowed:\n");
            r.cutover().reasons().forEach(reason -> sb.append("    - ").append(reason).append('\n'));
        }
        r.warnings().forEach(w -> sb.append("  WARNING    ").append(w).append('\n'));
        return sb.toString();
    }

    /** The one line an operator reads first: snapshot progress while it runs, then lag and when it reaches zero. */
    static String headline(StatusReport r) {
        if (r.snapshotting()) {
            double left = r.snapshotSecondsLeft();
            return String.format("snapshot %.0f%% done, %s; %,d changes waiting", 100 * r.snapshotFraction(),
                    left < 0 ? "time left unknown" : seconds(left) + " left", r.lag().changes());
        }
        LagFigures lag = r.lag();
        return seconds(lag.seconds()) + " behind, " + String.format("%,d", lag.changes()) + " changes; " + toZeroSentence(lag);
    }

    private static String rates(LagFigures lag) {
        Flow f = lag.flow();
        if (!f.known()) {
            return "not measured yet";
        }
        return String.format("source %s changes/s, applied %s changes/s (over the last %.0f s)",
                perSecond(f.sourcePerSecond()), perSecond(f.appliedPerSecond()), f.windowSeconds());
    }

    private static String toZeroSentence(LagFigures lag) {
        if (lag.changes() == 0 && lag.seconds() == 0) {
            return "caught up";
        }
        if (lag.fallingBehind()) {
            return lag.flow().appliedPerSecond() == 0
                    ? String.format("STALLED: nothing applied in the last %.0f s", lag.flow().windowSeconds())
                    : "FALLING BEHIND: the source writes as fast as changes are applied or faster";
        }
        double t = lag.timeToZeroSeconds();
        return t < 0 ? "time to zero unknown" : "zero in about " + seconds(t);
    }

    private static String toZero(LagFigures lag) {
        if (lag.fallingBehind()) {
            return lag.flow().appliedPerSecond() == 0 ? "stalled" : "falling behind";
        }
        if (lag.changes() == 0 && lag.seconds() == 0) {
            return "caught up";
        }
        return seconds(lag.timeToZeroSeconds());
    }

    private static String name(CollectionStatus c) {
        return c.targets().isEmpty() ? c.collection() + " (lookup)" : c.collection() + " -> " + String.join(",", c.targets());
    }

    private static String snapshot(Snapshot s) {
        if (s == null) {
            return "-";
        }
        String count = s.estimatedCount() < 0 ? String.format("%,d", s.records())
                : String.format("%,d/%,d", s.records(), s.estimatedCount());
        String left = s.done() ? " done" : s.secondsLeft() < 0 ? "" : ", " + seconds(s.secondsLeft()) + " left";
        return String.format("%3.0f%% %s%s", 100 * s.fraction(), count, left);
    }

    private static String perSecond(double rate) {
        return rate < 0 ? "-" : String.format("%,.0f", rate);
    }

    static String seconds(double s) {
        if (s < 0) {
            return "unknown";
        }
        if (s >= 7200) {
            return String.format("%.1f h", s / 3600);
        }
        if (s >= 120) {
            return String.format("%.0f min", s / 60);
        }
        if (s > 0 && s < 0.05) {
            return "<0.1 s";
        }
        return String.format("%.1f s", s);
    }
}
