package io.changeover.stages.metrics;

import java.util.Map;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/** The text of a stage process's {@code /metrics}: its own figures as {@code changeover_stage_*}, then its Kafka clients'. */
public final class StageMetrics {
    private StageMetrics() {
    }

    /** @param own the stage's figures by name (suffix of {@code changeover_stage_}), e.g. {@code up}, {@code events_captured} */
    public static String render(String migration, String stage, Map<String, ? extends Number> own,
                                Map<MetricName, ? extends Metric> kafka) {
        StringBuilder sb = new StringBuilder();
        String labels = "{migration=\"" + migration.replace("\"", "\\\"") + "\",stage=\"" + stage + "\"}";
        own.forEach((name, value) -> sb.append("# TYPE changeover_stage_").append(name).append(" gauge\n")
                .append("changeover_stage_").append(name).append(labels).append(' ').append(value).append('\n'));
        sb.append(KafkaMetricsText.render(stage, kafka));
        return sb.toString();
    }
}
