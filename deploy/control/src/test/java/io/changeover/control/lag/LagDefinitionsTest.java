package io.changeover.control.lag;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.changeover.transform.format.SourcePosition;

/** The definitions of docs/lag.md on synthetic positions: lag in seconds is the age of the oldest change held. */
class LagDefinitionsTest {
    private static final SourcePosition NOW = SourcePosition.of(1_700_000_100, 5);

    @Test
    void nothingHeldIsZeroSecondsAndTheAgeOfTheOldestChangeOtherwise() {
        assertThat(LagAge.seconds(NOW, Backlog.NONE, 0)).isZero();
        assertThat(LagAge.seconds(NOW, new Backlog(3, SourcePosition.of(1_700_000_040, 9)), 0)).isEqualTo(60);
    }

    @Test
    void aChangeHeldIsNeverZeroSecondsEvenWithinTheSourcesCurrentSecond() {
        assertThat(LagAge.seconds(NOW, new Backlog(1, SourcePosition.of(1_700_000_100, 4)), 0)).isPositive();
        assertThat(LagAge.seconds(NOW, new Backlog(1, NOW), 0)).isPositive();
        assertThat(LagAge.seconds(NOW, new Backlog(1, SourcePosition.of(1_700_000_101, 0)), 0))
                .as("a change read after the source's clock was").isPositive();
        assertThat(LagAge.seconds(NOW, Backlog.NONE, 4)).as("internal work only").isPositive();
    }

    @Test
    void anUnknownPositionIsUnknownNotTheAgeOfTheSourcesClock() {
        assertThat(LagAge.seconds(NOW, new Backlog(2, SourcePosition.ZERO), 0)).isEqualTo(LagAge.UNKNOWN);
        assertThat(LagMonitor.captureSeconds(NOW, SourcePosition.ZERO)).isEqualTo(LagAge.UNKNOWN);
    }

    @Test
    void backlogsAddTheirChangesAndKeepTheOlderKnownPosition() {
        Backlog a = new Backlog(3, SourcePosition.of(100, 2));
        Backlog b = new Backlog(4, SourcePosition.of(90, 7));
        assertThat(a.plus(b)).isEqualTo(new Backlog(7, SourcePosition.of(90, 7)));
        assertThat(b.plus(a)).isEqualTo(a.plus(b));
        assertThat(a.plus(Backlog.NONE)).isEqualTo(a);
        assertThat(new Backlog(0, SourcePosition.of(5, 5))).as("nothing held has no oldest").isEqualTo(Backlog.NONE);
        assertThat(new Backlog(2, SourcePosition.ZERO).plus(a)).as("the older one may be among those of unknown position")
                .isEqualTo(new Backlog(5, SourcePosition.ZERO));
        assertThat(a.plus(new Backlog(2, SourcePosition.ZERO)).oldestUnknown()).isTrue();
    }

    @Test
    void aCollectionsLagIsItsOldestChangeInAnyStageOrTheCapturesIfLonger() {
        CollectionLag jobs = new CollectionLag("jobs", List.of("jobs"), new Backlog(5, SourcePosition.of(1_700_000_090, 1)),
                new Backlog(1, SourcePosition.of(1_700_000_070, 1)), 0, new Backlog(2, SourcePosition.of(1_700_000_080, 1)));
        CollectionLag idle = new CollectionLag("idle", List.of("idle"), Backlog.NONE, Backlog.NONE, 0, Backlog.NONE);
        LagReport report = report(0, jobs, idle);
        assertThat(report.seconds(jobs)).as("the waiting document is the oldest").isEqualTo(30);
        assertThat(jobs.pending().changes()).isEqualTo(8);
        assertThat(report.seconds(idle)).isZero();
        assertThat(report(45, jobs, idle).seconds(idle)).as("a change not captured yet may be of any collection").isEqualTo(45);
        assertThat(report(LagAge.UNKNOWN, jobs, idle).seconds(idle)).isEqualTo(LagAge.UNKNOWN);
        assertThat(report.seconds()).isEqualTo(30);
        assertThat(report.changes()).isEqualTo(8);
    }

    private static LagReport report(double captureSeconds, CollectionLag... collections) {
        Backlog transform = Backlog.NONE;
        Backlog sink = Backlog.NONE;
        for (CollectionLag c : collections) {
            transform = transform.plus(c.transformHeld());
            sink = sink.plus(c.sink());
        }
        return new LagReport(new StageLag("capture", -1, captureSeconds), new StageLag("transform", transform.changes(), -1),
                new StageLag("sink", sink.changes(), -1), 0, NOW, List.of(collections), new LagReport.Held(transform, 0, sink));
    }
}
