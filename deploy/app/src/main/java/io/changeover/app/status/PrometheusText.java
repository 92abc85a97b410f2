package io.changeover.app.status;

import io.changeover.app.state.MigrationState;
import io.changeover.app.status.StatusReport.CollectionStatus;
import io.changeover.app.status.StatusReport.StageStatus;

/** A {@link StatusReport} in the Prometheus text exposition format (version 0.0.4), served at {@code /metrics}. */
public final class PrometheusText {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {
    }

    public static String render(StatusReport r) {
        StringBuilder sb = new StringBuilder();
        String m = "migration=\"" + escape(r.migration()) + "\"";
        header(sb, "changeover_state", "1 for the migration's current state, 0 for the others");
        for (MigrationState s : MigrationState.values()) {
            sb.append("changeover_state{").append(m).append(",state=\"").append(s.label()).append("\"} ")
              .append(s.label().equals(r.state()) ? 1 : 0).append('\n');
        }
        header(sb, "changeover_snapshot_fraction", "fraction of the snapshot done per source collection (0..1)");
        for (CollectionStatus c : r.collections()) {
            sb.append("changeover_snapshot_fraction{").append(m).append(",collection=\"").append(escape(c.collection()))
              .append("\"} ").append(number(c.fraction())).append('\n');
        }
        header(sb, "changeover_lag_records", "records a stage has not processed yet");
        for (StageStatus s : r.stages()) {
            if (s.events() >= 0) {
                sb.append("changeover_lag_records{").append(m).append(",stage=\"").append(s.stage()).append("\"} ")
                  .append(s.events()).append('\n');
            }
        }
        header(sb, "changeover_lag_seconds", "seconds a stage is behind (capture measured; others estimated, -1 unknown)");
        for (StageStatus s : r.stages()) {
            sb.append("changeover_lag_seconds{").append(m).append(",stage=\"").append(s.stage()).append("\"} ")
              .append(number(s.seconds())).append('\n');
        }
        header(sb, "changeover_throughput_records_per_second", "records per second a stage consumed recently (-1 unknown)");
        for (StageStatus s : r.stages()) {
            sb.append("changeover_throughput_records_per_second{").append(m).append(",stage=\"").append(s.stage()).append("\"} ")
              .append(number(s.throughput())).append('\n');
        }
        header(sb, "changeover_dead_letters", "records in the dead-letter topic");
        sb.append("changeover_dead_letters{").append(m).append("} ").append(r.deadLetters()).append('\n');
        header(sb, "changeover_cutover_allowed", "1 when cutover is allowed now");
        sb.append("changeover_cutover_allowed{").append(m).append("} ").append(r.cutover().allowed() ? 1 : 0).append('\n');
        header(sb, "changeover_replay_warnings", "conditions that would make a replay from the raw topics incomplete");
        sb.append("changeover_replay_warnings{").append(m).append("} ").append(r.warnings().size()).append('\n');
        return sb.toString();
    }

    private static void header(StringBuilder sb, String name, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" gauge\n");
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
