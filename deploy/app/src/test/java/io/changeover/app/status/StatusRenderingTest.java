package io.changeover.app.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.changeover.app.status.StatusReport.CollectionStatus;
import io.changeover.app.status.StatusReport.Readiness;
import io.changeover.app.status.StatusReport.StageStatus;

class StatusRenderingTest {
    private static final Instant AT = Instant.parse("2026-11-21T10:00:00Z");

    static StatusReport report(boolean allowed, long sinkLag) {
        return new StatusReport("demo", AT, "streaming", "capture is streaming changes", AT.minusSeconds(60),
                List.of(new CollectionStatus("jobs", "jobs_v2", 20_000, 5_000, 42, false, 30)),
                List.of(new StageStatus("capture", -1, 0.4, 1200), new StageStatus("transform", 12, 0.01, 1100),
                        new StageStatus("sink", sinkLag, -1, 0)),
                1100, 3, new Readiness(allowed, allowed ? List.of() : List.of("3 record(s) in the dead-letter topic")),
                List.of("replay at risk: raw topic x has retention.ms=1000"));
    }

    @Test
    void textShowsEveryFigureAnOperatorDecidesOn() {
        String text = StatusText.render(report(false, 7));
        assertThat(text).contains("state      streaming since 2026-11-21 09:59:00Z (capture is streaming changes)");
        assertThat(text).contains("jobs -> jobs_v2").contains(" 25% 5,000/20,000").contains("30.0 s");
        assertThat(text).containsPattern("transform\\s+12\\s+0.0 s\\s+1,100 records/s");
        assertThat(text).containsPattern("sink\\s+7\\s+unknown");
        assertThat(text).contains("dead letters 3");
        assertThat(text).contains("cutover    not allowed:\n    - 3 record(s) in the dead-letter topic");
        assertThat(text).contains("WARNING    replay at risk");
        assertThat(StatusText.render(report(true, 0))).contains("cutover    ALLOWED now");
    }

    @Test
    void jsonCarriesTheSameFigures() throws Exception {
        JsonNode json = new ObjectMapper().readTree(StatusJson.render(report(false, 7)));
        assertThat(json.get("migration").asText()).isEqualTo("demo");
        assertThat(json.at("/state/name").asText()).isEqualTo("streaming");
        assertThat(json.at("/collections/0/snapshotFraction").asDouble()).isEqualTo(0.25);
        assertThat(json.at("/stages/1/lagRecords").asLong()).isEqualTo(12);
        assertThat(json.get("lagRecords").asLong()).isEqualTo(19);
        assertThat(json.get("lagSeconds").asDouble()).isEqualTo(0.4);
        assertThat(json.get("deadLetters").asLong()).isEqualTo(3);
        assertThat(json.at("/cutover/allowed").asBoolean()).isFalse();
        assertThat(json.at("/cutover/reasons/0").asText()).contains("dead-letter");
        assertThat(json.at("/warnings").size()).isEqualTo(1);
    }

    @Test
    void prometheusTextHasOneSampleLinePerSeries() {
        String metrics = PrometheusText.render(report(true, 7));
        assertThat(metrics).contains("changeover_state{migration=\"demo\",state=\"streaming\"} 1\n")
                .contains("changeover_state{migration=\"demo\",state=\"cut-over\"} 0\n")
                .contains("changeover_lag_records{migration=\"demo\",stage=\"sink\"} 7\n")
                .contains("changeover_lag_seconds{migration=\"demo\",stage=\"capture\"} 0.4\n")
                .contains("changeover_snapshot_fraction{migration=\"demo\",collection=\"jobs\"} 0.25\n")
                .contains("changeover_dead_letters{migration=\"demo\"} 3\n")
                .contains("changeover_cutover_allowed{migration=\"demo\"} 1\n")
                .doesNotContain("stage=\"capture\"} -1\n" + "changeover_lag_records");
        for (String line : metrics.split("\n")) {
            assertThat(line).matches("# (HELP|TYPE) changeover_\\w+ .*|changeover_\\w+\\{[^}]*\\} -?[0-9.E]+");
        }
    }

    @Test
    void retentionWarnsAboutLostAndExpiringRecords() {
        assertThat(RetentionCheck.warnings(Map.of("raw.a", new KafkaOffsets.TopicRange(0, 10)), Map.of("raw.a", -1L))).isEmpty();
        List<String> warnings = RetentionCheck.warnings(Map.of("raw.a", new KafkaOffsets.TopicRange(5, 10)),
                Map.of("raw.a", 604_800_000L));
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0)).startsWith("replay at risk: raw topic raw.a has retention.ms=604800000");
        assertThat(warnings.get(1)).startsWith("replay incomplete: raw topic raw.a no longer holds its first 5 record(s)");
    }

    @Test
    void ratesAndTimeLeft() {
        assertThat(Rates.perSecond(-1, 100, 1)).isEqualTo(-1);
        assertThat(Rates.perSecond(100, 300, 2)).isEqualTo(100);
        assertThat(Rates.secondsFor(0, -1)).isZero();
        assertThat(Rates.secondsFor(500, 100)).isEqualTo(5);
        assertThat(Rates.secondsFor(500, 0)).isEqualTo(-1);
    }
}
