package io.changeover.stages.metrics;

import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * A Kafka client's own metrics (a producer's, a consumer's, Kafka Streams') in the Prometheus text format, so
 * existing Kafka dashboards work on a stage process's {@code /metrics}: {@code kafka_<group>_<name>{stage, <tags>}},
 * names and tag keys with every character other than letters and digits as {@code _}, the metric's group as it is
 * ({@code consumer_fetch_manager_metrics}, {@code producer_metrics}, {@code stream_thread_metrics}, ...). Metrics whose
 * value is not a number are left out. Pure.
 */
public final class KafkaMetricsText {
    private KafkaMetricsText() {
    }

    public static String render(String stage, Map<MetricName, ? extends Metric> metrics) {
        Map<String, StringBuilder> byName = new TreeMap<>();
        metrics.forEach((name, metric) -> {
            if (!(metric.metricValue() instanceof Number value)) {
                return;
            }
            String series = "kafka_" + clean(name.group()) + "_" + clean(name.name());
            StringBuilder lines = byName.computeIfAbsent(series, s -> new StringBuilder("# HELP " + s + " "
                    + oneLine(name.description()) + "\n# TYPE " + s + " gauge\n"));
            lines.append(series).append("{stage=\"").append(escape(stage)).append('"');
            new TreeMap<>(name.tags()).forEach((k, v) -> lines.append(',').append(clean(k)).append("=\"").append(escape(v)).append('"'));
            lines.append("} ").append(number(value.doubleValue())).append('\n');
        });
        StringBuilder sb = new StringBuilder();
        byName.values().forEach(sb::append);
        return sb.toString();
    }

    private static String clean(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            sb.append(c < 128 && Character.isLetterOrDigit(c) ? c : '_');
        }
        return sb.toString();
    }

    private static String number(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        return String.valueOf(d);
    }

    private static String oneLine(String s) {
        return s == null || s.isBlank() ? "Kafka client metric" : s.replace('\n', ' ').replace("\\", "\\\\");
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
