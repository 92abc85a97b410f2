package io.changeover.control.status;

import io.changeover.control.status.LagFigures;
import io.changeover.control.status.StatusReport;

import java.util.function.ToDoubleFunction;

import io.changeover.control.state.MigrationState;
import io.changeover.control.status.StatusReport.CollectionStatus;
import io.changeover.control.status.StatusReport.StageStatus;

/**
 * A {@link StatusReport} in the Prometheus text exposition format (version 0.0.4), served at {@code /metrics}. The lag
 * figures carry the names they have in the JSON and the text of {@code status} ({@code docs/lag.md}): once without a
 * {@code collection} label (all collections), then once per collection.
 */
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
            if (c.snapshot() != null) {
                sample(sb, "changeover_snapshot_fraction", m, c, c.snapshot().fraction());
            }
        }
        lagSeries(sb, m, r, "changeover_lag_seconds",
                "age in source time of the oldest source change not yet applied to the target (-1 unknown)", LagFigures::seconds);
        lagSeries(sb, m, r, "changeover_lag_changes", "source changes captured and not yet applied", l -> l.changes());
        lagSeries(sb, m, r, "changeover_source_changes_per_second",
                "source changes captured per second over the rate window (-1 unknown)", l -> l.flow().sourcePerSecond());
        lagSeries(sb, m, r, "changeover_applied_changes_per_second",
                "changes applied to the target per second over the rate window (-1 unknown)", l -> l.flow().appliedPerSecond());
        lagSeries(sb, m, r, "changeover_time_to_zero_seconds",
                "estimated seconds until lag is zero (-1 unknown or falling behind)", LagFigures::timeToZeroSeconds);
        lagSeries(sb, m, r, "changeover_falling_behind", "1 when changes wait and the source writes at least as fast as they are applied",
                l -> l.fallingBehind() ? 1 : 0);
        header(sb, "changeover_stage_lag_changes", "changes a stage holds (transform: raw records and waiting documents)");
        for (StageStatus s : r.stages()) {
            if (s.changes() >= 0) {
                stage(sb, "changeover_stage_lag_changes", m, s, s.changes());
            }
        }
        header(sb, "changeover_stage_lag_seconds", "age in source time of the oldest change a stage holds (capture: how far behind the source)");
        for (StageStatus s : r.stages()) {
            stage(sb, "changeover_stage_lag_seconds", m, s, s.seconds());
        }
        header(sb, "changeover_stage_internal_records", "records of the transform's internal topics not consumed yet");
        for (StageStatus s : r.stages()) {
            if (s.stage().equals("transform")) {
                stage(sb, "changeover_stage_internal_records", m, s, s.internalRecords());
            }
        }
        header(sb, "changeover_throughput_records_per_second", "records per second a stage consumed over the rate window (-1 unknown)");
        for (StageStatus s : r.stages()) {
            stage(sb, "changeover_throughput_records_per_second", m, s, s.throughput());
        }
        header(sb, "changeover_stage_instances", "live processes of a stage (capture: active and standbys)");
        for (String stage : java.util.List.of("capture", "transform", "sink")) {
            sb.append("changeover_stage_instances{").append(m).append(",stage=\"").append(stage).append("\"} ")
              .append(r.instances().stream().filter(i -> i.stage().equals(stage)).count()).append('\n');
        }
        header(sb, "changeover_dead_letters", "records in the dead-letter topic");
        sb.append("changeover_dead_letters{").append(m).append("} ").append(r.deadLetters().count()).append('\n');
        header(sb, "changeover_cutover_allowed", "1 when cutover is allowed now");
        sb.append("changeover_cutover_allowed{").append(m).append("} ").append(r.cutover().allowed() ? 1 : 0).append('\n');
        header(sb, "changeover_replay_warnings", "conditions that would make a replay from the raw topics incomplete");
        sb.append("changeover_replay_warnings{").append(m).append("} ").append(r.warnings().size()).append('\n');
        return sb.toString();
    }

    private static void lagSeries(StringBuilder sb, String m, StatusReport r, String name, String help,
                                  ToDoubleFunction<LagFigures> figure) {
        header(sb, name, help);
        sb.append(name).append('{').append(m).append("} ").append(number(figure.applyAsDouble(r.lag()))).append('\n');
        for (CollectionStatus c : r.collections()) {
            sample(sb, name, m, c, figure.applyAsDouble(c.lag()));
        }
    }

    private static void sample(StringBuilder sb, String name, String m, CollectionStatus c, double value) {
        sb.append(name).append('{').append(m).append(",collection=\"").append(escape(c.collection())).append("\"} ")
          .append(number(value)).append('\n');
    }

    private static void stage(StringBuilder sb, String name, String m, StageStatus s, double value) {
        sb.append(name).append('{').append(m).append(",stage=\"").append(s.stage()).append("\"} ").append(number(value)).append('\n');
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
