package io.changeover.control.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Rates and time to zero (docs/lag.md), and the history they are smoothed over. */
class FlowTest {

    @Test
    void appliedIsWhatEnteredMinusWhatTheLagGrewBy() {
        // 30 s: 3,000 changes streamed, lag from 5,000 down to 2,000: 6,000 applied
        Flow flow = Flow.between(new Flow.Counts(10_000, 1_000, 5_000), new Flow.Counts(13_000, 4_000, 2_000), 30);
        assertThat(flow.sourcePerSecond()).isEqualTo(100);
        assertThat(flow.appliedPerSecond()).isEqualTo(200);
        assertThat(flow.secondsToZero(2_000)).as("2,000 changes at 200 - 100 a second").isEqualTo(20);
        assertThat(flow.fallingBehind(2_000)).isFalse();
    }

    @Test
    void fallingBehindWhenTheSourceWritesAtLeastAsFastAsChangesAreApplied() {
        Flow flow = Flow.between(new Flow.Counts(0, 0, 0), new Flow.Counts(3_000, 3_000, 1_500), 30);
        assertThat(flow.appliedPerSecond()).isEqualTo(50);
        assertThat(flow.fallingBehind(1_500)).isTrue();
        assertThat(flow.secondsToZero(1_500)).isEqualTo(Flow.NO_ESTIMATE);
        assertThat(flow.fallingBehind(0)).as("nothing waits").isFalse();
        assertThat(flow.secondsToZero(0)).isZero();
    }

    @Test
    void withoutAnEarlierMeasurementNothingIsEstimated() {
        assertThat(Flow.UNKNOWN.secondsToZero(10)).isEqualTo(Flow.NO_ESTIMATE);
        assertThat(Flow.UNKNOWN.fallingBehind(10)).isFalse();
        assertThat(Flow.between(Flow.Counts.ZERO, Flow.Counts.ZERO, 0)).isEqualTo(Flow.UNKNOWN);
    }

    @Test
    void noTimeToZeroWhileTheCaptureIsBehindWithNothingHeld() {
        Flow flow = new Flow(100, 100, 30);
        assertThat(new LagFigures(0, 0, flow).timeToZeroSeconds()).isZero();
        assertThat(new LagFigures(30, 0, flow).timeToZeroSeconds()).as("changes not captured yet are not counted")
                .isEqualTo(Flow.NO_ESTIMATE);
        assertThat(new LagFigures(-1, 0, flow).timeToZeroSeconds()).as("lag unknown").isEqualTo(Flow.NO_ESTIMATE);
    }

    @Test
    void historyKeepsOneSampleAResolutionForItsRetentionAndFindsTheRateWindow() {
        LagHistory history = new LagHistory(Duration.ofSeconds(2), Duration.ofSeconds(60));
        Instant t0 = Instant.parse("2026-12-07T10:00:00Z");
        for (int s = 0; s <= 100; s++) {
            history.add(sample(t0.plusSeconds(s)));
        }
        assertThat(history.samples()).hasSize(31);   // 40, 42, ..., 100
        assertThat(history.samples().get(0).at()).isEqualTo(t0.plusSeconds(40));
        assertThat(history.windowStart(t0.plusSeconds(101), Duration.ofSeconds(30)).orElseThrow().at())
                .isEqualTo(t0.plusSeconds(72));
        assertThat(history.windowStart(t0.plusSeconds(40), Duration.ofSeconds(30))).as("nothing before it").isEmpty();
    }

    private static LagHistory.Sample sample(Instant at) {
        return new LagHistory.Sample(at, new LagFigures(0, 0, Flow.UNKNOWN), 1, Map.of(), Flow.Counts.ZERO, Map.of());
    }
}
