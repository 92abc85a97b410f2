package io.changeover.control.lag;

import java.util.function.Supplier;

import io.changeover.capture.ChangeStreamCapture;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.spec.MigrationSpec;

/**
 * How far the capture's output is complete for the transform. For most specs, the last position written to the raw
 * topics. For a spec with {@code remap} steps, also no further than the last ticks ({@code docs/topics.md}): a
 * reference to a document nobody wrote is answered only once ticks show the referenced collection has passed it, so
 * until ticks reach a change, its references may still be waiting. Before the first tick (during the snapshot, when
 * Debezium sends no heartbeats) it is the written position, so capture lag reads as usual while snapshotting.
 */
public final class CapturePosition {
    private CapturePosition() {
    }

    /** For a capture running in this process. */
    public static Supplier<SourcePosition> of(MigrationSpec spec, ChangeStreamCapture capture) {
        return forTransform(spec, capture::lastPosition, capture::lastTickPosition);
    }

    /**
     * @param written the capture's last written position (events and heartbeats)
     * @param ticked  the position of its last ticks
     */
    public static Supplier<SourcePosition> forTransform(MigrationSpec spec, Supplier<SourcePosition> written,
                                                        Supplier<SourcePosition> ticked) {
        boolean remaps = CompiledSpec.compile(spec).collections().stream().anyMatch(c -> !c.remapSources().isEmpty());
        if (!remaps) {
            return written;
        }
        return () -> {
            SourcePosition w = written.get();
            SourcePosition t = ticked.get();
            if (t.equals(SourcePosition.ZERO)) {
                return w;   // no ticks yet: still snapshotting (heartbeats, and so ticks, start with streaming)
            }
            return t.compareTo(w) < 0 ? t : w;
        };
    }
}
