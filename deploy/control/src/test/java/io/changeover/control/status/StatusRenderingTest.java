package io.changeover.control.status;


import static io.changeover.control.status.StatusRenderingFixture.report;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The text of {@code changeover status}, the JSON of {@code /status} and {@code /history}, and {@code /metrics}: the same figures under the same names. */
class StatusRenderingTest {

    @Test
    void textShowsEveryFigureAnOperatorDecidesOn() {
        String text = StatusText.render(report(false, 7));
        assertThat(text).contains("state      streaming since 2026-11-21 09:59:00Z (capture is streaming changes)");
        assertThat(text).contains("lag        12.5 s behind, 19 changes; zero in about 1.9 s");
        assertThat(text).contains("rates      source 100 changes/s, applied 110 changes/s (over the last 30 s)");
        assertThat(text).containsPattern("jobs -> jobs_v2\\s+100% 20,000/20,000 done\\s+12.5 s\\s+19\\s+100\\s+110\\s+1.9 s");
        assertThat(text).containsPattern("owners \\(lookup\\)\\s+-\\s+0.0 s\\s+0");
        assertThat(text).containsPattern("transform\\s+12\\s+12.5 s\\s+5\\s+1,100 records/s");
        assertThat(text).containsPattern("sink\\s+7\\s+3.0 s\\s+-\\s+900 records/s");
        assertThat(text).containsPattern("process\\s+capture\\s+active\\s+capture-a /10.0.0.5, 1 partition")
                .containsPattern("process\\s+capture\\s+standby\\s+capture-b")
                .containsPattern("process\\s+transform\\s+member\\s+changeover-demo-transform-7f3a /10.0.0.7, 8 partition");
        assertThat(text).contains("dead letters 3\n    - transform jobs: remap: not a valid id");
        assertThat(text).contains("cutover    not allowed:\n    - 3 record(s) in the dead-letter topic");
        assertThat(text).contains("WARNING    replay at risk");
        assertThat(StatusText.render(report(true, 0))).contains("cutover    ALLOWED now");
    }

    @Test
    void whileSnapshottingTheHeadlineIsSnapshotProgressAndItsTimeLeft() {
        String text = StatusText.render(StatusRenderingFixture.snapshotting());
        assertThat(text).contains("lag        snapshot 25% done, 30.0 s left; 15,000 changes waiting");
        assertThat(text).containsPattern("jobs -> jobs_v2\\s+25% 5,000/20,000, 30.0 s left\\s+snapshot");
        assertThat(text).contains("rates      not measured yet");
    }

    @Test
    void fallingBehindIsSaidInsteadOfATimeToZero() {
        StatusReport r = report(false, 7);
        LagFigures behind = new LagFigures(40, 5_000, new Flow(300, 200, 30));
        StatusReport falling = new StatusReport(r.migration(), r.at(), r.state(), r.stateReason(), r.stateSince(), behind,
                r.collections(), r.stages(), r.instances(), r.deadLetters(), r.cutover(), r.warnings());
        assertThat(StatusText.render(falling)).contains("40.0 s behind, 5,000 changes; FALLING BEHIND");
        assertThat(PrometheusText.render(falling)).contains("changeover_falling_behind{migration=\"demo\"} 1\n")
                .contains("changeover_time_to_zero_seconds{migration=\"demo\"} -1\n");
    }

    @Test
    void jsonCarriesTheSameFigures() throws Exception {
        JsonNode json = new ObjectMapper().readTree(StatusJson.render(report(false, 7)));
        assertThat(json.get("migration").asText()).isEqualTo("demo");
        assertThat(json.at("/state/name").asText()).isEqualTo("streaming");
        assertThat(json.at("/lag/lagSeconds").asDouble()).isEqualTo(12.5);
        assertThat(json.at("/lag/lagChanges").asLong()).isEqualTo(19);
        assertThat(json.at("/lag/sourceChangesPerSecond").asDouble()).isEqualTo(100);
        assertThat(json.at("/lag/appliedChangesPerSecond").asDouble()).isEqualTo(110);
        assertThat(json.at("/lag/timeToZeroSeconds").asDouble()).isEqualTo(1.9);
        assertThat(json.at("/lag/fallingBehind").asBoolean()).isFalse();
        assertThat(json.at("/snapshot/running").asBoolean()).isFalse();
        assertThat(json.at("/collections/0/snapshot/fraction").asDouble()).isEqualTo(1);
        assertThat(json.at("/collections/0/targets/0").asText()).isEqualTo("jobs_v2");
        assertThat(json.at("/collections/0/detail/waitingDocuments").asLong()).isEqualTo(2);
        assertThat(json.at("/collections/1/snapshot").isMissingNode()).as("a lookup-only collection has no snapshot").isTrue();
        assertThat(json.at("/stages/1/lagChanges").asLong()).isEqualTo(12);
        assertThat(json.at("/stages/1/internalRecords").asLong()).isEqualTo(5);
        assertThat(json.at("/deadLetters/count").asLong()).isEqualTo(3);
        assertThat(json.at("/deadLetters/latest/0/reason").asText()).isEqualTo("remap: not a valid id");
        assertThat(json.at("/cutover/allowed").asBoolean()).isFalse();
        assertThat(json.at("/cutover/reasons/0").asText()).contains("dead-letter");
        assertThat(json.at("/warnings").size()).isEqualTo(1);
        assertThat(json.at("/instances/1/role").asText()).isEqualTo("standby");
        assertThat(new ObjectMapper().readTree(StatusJson.render(StatusRenderingFixture.snapshotting())).at("/snapshot/fraction")
                .asDouble()).isEqualTo(0.25);
    }

    @Test
    void historyJsonHasEverySampleOldestFirstInEpochMillis() throws Exception {
        LagHistory history = StatusRenderingFixture.history();
        JsonNode json = new ObjectMapper().readTree(StatusJson.render(history));
        assertThat(json.get("samples").size()).isEqualTo(history.samples().size()).isEqualTo(301);
        assertThat(json.at("/samples/0/at").asLong()).isEqualTo(StatusRenderingFixture.AT.minusSeconds(600).toEpochMilli());
        assertThat(json.at("/samples/150/lagSeconds").asDouble()).isEqualTo(300);
        assertThat(json.at("/samples/150/lagChanges").asLong()).isEqualTo(30_000);
        assertThat(json.at("/samples/300/lagChanges").asLong()).isZero();
        assertThat(json.get("rateWindowSeconds").asLong()).isEqualTo(30);
    }

    @Test
    void prometheusTextHasOneSampleLinePerSeriesUnderTheSameNames() {
        String metrics = PrometheusText.render(report(true, 7));
        assertThat(metrics).contains("changeover_state{migration=\"demo\",state=\"streaming\"} 1\n")
                .contains("changeover_state{migration=\"demo\",state=\"cut-over\"} 0\n")
                .contains("changeover_lag_seconds{migration=\"demo\"} 12.5\n")
                .contains("changeover_lag_seconds{migration=\"demo\",collection=\"jobs\"} 12.5\n")
                .contains("changeover_lag_changes{migration=\"demo\"} 19\n")
                .contains("changeover_source_changes_per_second{migration=\"demo\"} 100\n")
                .contains("changeover_applied_changes_per_second{migration=\"demo\"} 110\n")
                .contains("changeover_time_to_zero_seconds{migration=\"demo\"} 1.9\n")
                .contains("changeover_falling_behind{migration=\"demo\"} 0\n")
                .contains("changeover_stage_lag_changes{migration=\"demo\",stage=\"sink\"} 7\n")
                .contains("changeover_stage_lag_seconds{migration=\"demo\",stage=\"capture\"} 0.4\n")
                .contains("changeover_stage_internal_records{migration=\"demo\",stage=\"transform\"} 5\n")
                .contains("changeover_snapshot_fraction{migration=\"demo\",collection=\"jobs\"} 1\n")
                .contains("changeover_dead_letters{migration=\"demo\"} 3\n")
                .contains("changeover_stage_instances{migration=\"demo\",stage=\"capture\"} 2\n")
                .contains("changeover_stage_instances{migration=\"demo\",stage=\"sink\"} 0\n")
                .contains("changeover_cutover_allowed{migration=\"demo\"} 1\n")
                .doesNotContain("changeover_stage_lag_changes{migration=\"demo\",stage=\"capture\"}");
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
