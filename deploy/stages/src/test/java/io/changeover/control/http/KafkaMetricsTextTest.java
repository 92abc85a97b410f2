package io.changeover.control.http;

import io.changeover.stages.metrics.KafkaMetricsText;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.Metrics;
import org.junit.jupiter.api.Test;

/** A Kafka client's own metrics as Prometheus text, so existing Kafka dashboards work on a stage's /metrics. */
class KafkaMetricsTextTest {

    @Test
    void eachNumericMetricIsOneLineUnderItsGroupAndNameWithItsTagsAsLabels() {
        try (Metrics metrics = new Metrics()) {
            metrics.addMetric(metrics.metricName("records-consumed-total", "consumer-fetch-manager-metrics",
                    "records consumed", Map.of("client-id", "sink-1", "topic", "changeover.demo.out.jobs")), (Measurable) (c, now) -> 42);
            metrics.addMetric(metrics.metricName("records-consumed-total", "consumer-fetch-manager-metrics",
                    "records consumed", Map.of("client-id", "sink-1")), (Measurable) (c, now) -> 50);
            String text = KafkaMetricsText.render("sink", metrics.metrics());

            assertThat(text).contains("# TYPE kafka_consumer_fetch_manager_metrics_records_consumed_total gauge\n")
                    .contains("kafka_consumer_fetch_manager_metrics_records_consumed_total{stage=\"sink\",client_id=\"sink-1\","
                            + "topic=\"changeover.demo.out.jobs\"} 42.0\n")
                    .contains("kafka_consumer_fetch_manager_metrics_records_consumed_total{stage=\"sink\",client_id=\"sink-1\"} 50.0\n");
            assertThat(text.split("# TYPE kafka_consumer_fetch_manager_metrics_records_consumed_total", -1))
                    .as("one TYPE line per series name").hasSize(2);
            for (String line : text.split("\n")) {
                assertThat(line).matches("# (HELP|TYPE) kafka_\\w+ .*|kafka_\\w+\\{[^}]*\\} [-+0-9.EInfNa]+");
            }
        }
    }
}
