package io.changeover.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.changeover.transform.format.SourcePosition;

class CaptureProgressTest {
    private final SourceCollection jobs = new SourceCollection("legacy", "jobs");
    private final SourceCollection users = new SourceCollection("legacy", "users");
    private final CaptureProgress progress = new CaptureProgress(List.of(jobs, users));

    private RoutedRecord.Change change(SourceCollection c, String op, boolean snapshot, boolean last) {
        return new RoutedRecord.Change("t", c, op, snapshot, last);
    }

    @Test
    void movesFromSnapshotToStreamingAfterTheLastSnapshotRecord() {
        assertThat(progress.phase()).isEqualTo(CapturePhase.STARTING);
        progress.written(change(jobs, "r", true, false), Optional.empty());
        assertThat(progress.phase()).isEqualTo(CapturePhase.SNAPSHOT);
        progress.written(change(users, "r", true, true), Optional.empty());
        assertThat(progress.phase()).isEqualTo(CapturePhase.STREAMING);
    }

    @Test
    void aHeartbeatMeansStreamingEvenWithoutSnapshot() {
        progress.written(new RoutedRecord.Heartbeat("hb"), Optional.of(SourcePosition.of(100, 1)));

        assertThat(progress.phase()).isEqualTo(CapturePhase.STREAMING);
        assertThat(progress.status().heartbeats()).isEqualTo(1);
        assertThat(progress.eventsCaptured()).isZero();
    }

    @Test
    void countsSnapshotReadsAndChangesPerCollection() {
        progress.estimatedCount(jobs, 2);
        progress.written(change(jobs, "r", true, false), Optional.empty());
        progress.written(change(jobs, "r", true, true), Optional.empty());
        progress.written(change(jobs, "u", false, false), Optional.empty());

        CollectionProgress p = progress.status().collections().get(0);
        assertThat(p).isEqualTo(new CollectionProgress(jobs, 2, 2, 1));
        assertThat(progress.status().collections().get(1)).isEqualTo(new CollectionProgress(users, -1, 0, 0));
        assertThat(progress.eventsCaptured()).isEqualTo(3);
    }

    @Test
    void lastPositionNeverMovesBackwards() {
        progress.written(change(jobs, "c", false, false), Optional.of(SourcePosition.of(200, 2)));
        progress.written(new RoutedRecord.Heartbeat("hb"), Optional.of(SourcePosition.of(200, 1)));
        assertThat(progress.lastPosition()).isEqualTo(SourcePosition.of(200, 2));

        progress.written(new RoutedRecord.Heartbeat("hb"), Optional.of(SourcePosition.of(201, 0)));
        assertThat(progress.lastPosition()).isEqualTo(SourcePosition.of(201, 0));
    }

    @Test
    void failureIsKeptAndStoppingDoesNotHideIt() {
        CaptureException error = new CaptureException("boom");
        progress.failed(error);
        progress.stopped();

        assertThat(progress.phase()).isEqualTo(CapturePhase.FAILED);
        assertThat(progress.failure()).contains(error);
        progress.written(new RoutedRecord.Heartbeat("hb"), Optional.empty());
        assertThat(progress.phase()).isEqualTo(CapturePhase.FAILED);
    }
}
