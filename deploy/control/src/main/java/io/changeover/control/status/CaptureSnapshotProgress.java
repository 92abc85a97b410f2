package io.changeover.control.status;

import java.util.List;
import java.util.function.Supplier;

import io.changeover.capture.CapturePhase;
import io.changeover.capture.CaptureStatus;

/** Snapshot progress from the capture running in this process (exact counts). */
public final class CaptureSnapshotProgress implements SnapshotProgress {
    private final Supplier<CaptureStatus> capture;

    public CaptureSnapshotProgress(Supplier<CaptureStatus> capture) {
        this.capture = capture;
    }

    @Override
    public List<Collection> collections() {
        CaptureStatus status = capture.get();
        boolean done = status.phase() == CapturePhase.STREAMING;
        return status.collections().stream()
                .map(p -> new Collection(p.collection().collection(), p.estimatedCount(), p.snapshotRecords(), p.changeEvents(), done))
                .toList();
    }
}
