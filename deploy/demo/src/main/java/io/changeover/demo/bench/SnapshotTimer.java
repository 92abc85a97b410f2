package io.changeover.demo.bench;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;

import io.changeover.capture.CapturePhase;
import io.changeover.control.lag.CapturePosition;
import io.changeover.control.lag.LagMonitor;
import io.changeover.control.pipeline.Pipeline;
import io.changeover.control.source.SourceAccess;
import io.changeover.transform.spec.MigrationSpec;

/** Times a snapshot through the whole pipeline, for the PostgreSQL benches. */
final class SnapshotTimer {
    private static final Duration TIMEOUT = Duration.ofMinutes(30);

    private SnapshotTimer() {
    }

    /**
     * @param read    seconds from pipeline start until capture had read every document (streaming)
     * @param through seconds from pipeline start until every document is through to the target (lag zero)
     */
    record Seconds(double read, double through) {
    }

    /** Starts the pipeline of {@code spec} and waits until its snapshot is read and every document is in the target. */
    static Seconds time(MigrationSpec spec) throws Exception {
        long start = System.nanoTime();
        try (Pipeline pipeline = Pipeline.start(spec); Admin admin = Admin.create(Map.copyOf(spec.kafka()));
             SourceAccess source = SourceAccess.open(spec);
             LagMonitor lag = new LagMonitor(spec, admin, source, CapturePosition.of(spec, pipeline.capture()))) {
            long deadline = start + TIMEOUT.toNanos();
            long read = 0;
            while (pipeline.capture().phase() != CapturePhase.STREAMING || !lag.measure().zero()) {
                if (read == 0 && pipeline.capture().phase() == CapturePhase.STREAMING) {
                    read = System.nanoTime();
                }
                pipeline.failure().ifPresent(f -> {
                    throw new IllegalStateException(f);
                });
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the snapshot did not reach the target within " + TIMEOUT);
                }
                Thread.sleep(100);   // waiting for the snapshot to be read and applied
            }
            long done = System.nanoTime();
            return new Seconds(((read == 0 ? done : read) - start) / 1e9, (done - start) / 1e9);
        }
    }
}
