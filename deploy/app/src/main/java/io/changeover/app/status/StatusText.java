package io.changeover.app.status;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.changeover.app.status.StatusReport.CollectionStatus;
import io.changeover.app.status.StatusReport.StageStatus;

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
        sb.append("  collection              snapshot                          time left  changes\n");
        for (CollectionStatus c : r.collections()) {
            sb.append(String.format("  %-23s %-33s %-10s %s%n", c.collection() + " -> " + c.target(), snapshot(c),
                    c.snapshotDone() ? "-" : seconds(c.etaSeconds()), c.changeEvents() < 0 ? "-" : String.format("%,d", c.changeEvents())));
        }
        sb.append("  stage      lag records  lag seconds   throughput\n");
        for (StageStatus s : r.stages()) {
            sb.append(String.format("  %-10s %11s  %11s   %s%n", s.stage(), s.events() < 0 ? "-" : String.format("%,d", s.events()),
                    seconds(s.seconds()), s.throughput() < 0 ? "-" : String.format("%,.0f records/s", s.throughput())));
        }
        sb.append(String.format("  target     %s%n", r.throughput() < 0 ? "throughput not measured yet"
                : String.format("%,.0f documents/s applied", r.throughput())));
        sb.append(String.format("  dead letters %,d%n", r.deadLetters()));
        if (r.cutover().allowed()) {
            sb.append("  cutover    ALLOWED now\n");
        } else {
            sb.append("  cutover    not allowed:\n");
            r.cutover().reasons().forEach(reason -> sb.append("    - ").append(reason).append('\n'));
        }
        r.warnings().forEach(w -> sb.append("  WARNING    ").append(w).append('\n'));
        return sb.toString();
    }

    private static String snapshot(CollectionStatus c) {
        String count = c.estimatedCount() < 0 ? String.format("%,d", c.snapshotRecords())
                : String.format("%,d/%,d", c.snapshotRecords(), c.estimatedCount());
        return String.format("%3.0f%% %s%s", 100 * c.fraction(), count, c.snapshotDone() ? " done" : "");
    }

    static String seconds(double s) {
        if (s < 0) {
            return "unknown";
        }
        if (s >= 120) {
            return String.format("%.0f min", s / 60);
        }
        return String.format("%.1f s", s);
    }
}
