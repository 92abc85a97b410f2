package io.changeover.control.lag;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.changeover.transform.format.SourcePosition;

class LagMonitorTest {

    @Test
    void captureIsCaughtUpOnlyOnceItReachedTheSourcesLatestOperation() {
        SourcePosition latest = SourcePosition.of(1_000, 7);
        assertThat(LagMonitor.captureSeconds(latest, SourcePosition.of(1_000, 7))).isZero();
        assertThat(LagMonitor.captureSeconds(latest, SourcePosition.of(1_001, 0))).isZero();
        assertThat(LagMonitor.captureSeconds(latest, SourcePosition.of(1_000, 6))).isPositive();
        assertThat(LagMonitor.captureSeconds(latest, SourcePosition.of(990, 1))).isEqualTo(10.0);
        assertThat(LagMonitor.captureSeconds(latest, SourcePosition.ZERO)).as("nothing captured yet: unknown, not the "
                + "age of the source's clock").isEqualTo(LagAge.UNKNOWN);
    }

    @Test
    void reportIsZeroOnlyWhenEveryStageCaughtUp() {
        StageLag capture = new StageLag("capture", -1, 0);
        StageLag none = new StageLag("transform", 0, -1);
        assertThat(new LagReport(capture, none, new StageLag("sink", 0, -1)).zero()).isTrue();
        assertThat(new LagReport(capture, none, new StageLag("sink", 3, -1)).zero()).isFalse();
        assertThat(new LagReport(new StageLag("capture", -1, 0.001), none, none).zero()).isFalse();
        assertThat(new LagReport(new StageLag("capture", -1, LagAge.UNKNOWN), none, none).zero())
                .as("a capture whose lag is unknown is not caught up").isFalse();
    }

    @Test
    void documentsWaitingForRemapAnswersKeepTheReportAboveZeroAndAreNamed() {
        LagReport report = new LagReport(new StageLag("capture", -1, 0), new StageLag("transform", 2, -1),
                new StageLag("sink", 0, -1), 2);
        assertThat(report.zero()).isFalse();
        assertThat(report.describe()).contains("transform 2 records (2 of them documents waiting for remap answers)");
        assertThat(new LagReport(report.capture(), new StageLag("transform", 0, -1), report.sink()).describe())
                .contains("transform 0 records, sink 0 records");
    }
}
