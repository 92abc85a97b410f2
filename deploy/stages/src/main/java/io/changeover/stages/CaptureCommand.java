package io.changeover.stages;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.changeover.stages.metrics.StageMetrics;
import io.changeover.stages.metrics.StageMetricsServer;
import io.changeover.capture.CaptureConfig;
import io.changeover.capture.CaptureLease;
import io.changeover.capture.ChangeStreamCapture;
import io.changeover.transform.spec.MigrationSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The capture of one migration as a process of its own (docs/processes.md). One capture per migration is active: the
 * holder of the capture lease; others wait as standbys and take over, from the stored offsets, when it dies.
 */
@Command(name = "capture", description = "Run the capture of a migration as its own process (one is active, others"
        + " wait as standbys and take over when it dies) until stopped (Ctrl-C).")
public final class CaptureCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(CaptureCommand.class);
    private static final Duration CHECK = Duration.ofSeconds(1);

    @Mixin
    SpecOption spec;

    @Option(names = "--metrics-port", defaultValue = "-1", description = "Serve this process's metrics (its own and its"
            + " Kafka clients') at http://127.0.0.1:PORT/metrics; 0 picks a free port, -1 (default) serves none.")
    int metricsPort;

    @Option(names = "--lease-timeout-seconds", defaultValue = "10",
            description = "Seconds without a sign of life from the active capture before a standby takes over"
                    + " (at least the broker's group.min.session.timeout.ms, 6 by default; default ${DEFAULT-VALUE}).")
    int leaseTimeoutSeconds;

    @Override
    public Integer call() throws Exception {
        MigrationSpec migration = spec.load();
        CaptureConfig config = CaptureConfig.from(migration);
        StopSignal stop = StopSignal.onShutdown();
        AtomicBoolean lost = new AtomicBoolean();
        AtomicReference<ChangeStreamCapture> active = new AtomicReference<>();
        try (CaptureLease lease = CaptureLease.join(migration, config, Duration.ofSeconds(leaseTimeoutSeconds),
                () -> lost.set(true));
             StageMetricsServer metrics = metricsPort < 0 ? null : StageMetricsServer.start(metricsPort,
                     () -> metrics(migration, lease, active.get()))) {
            while (!stop.stopped()) {
                LOG.info("capture of migration {} waits for the capture lease (standby while another capture is active)",
                        migration.name());
                while (!stop.stopped() && !lease.awaitHeld(CHECK)) {
                    // waiting as a standby: the lease's own thread keeps this process in the group
                }
                if (stop.stopped()) {
                    break;
                }
                lost.set(false);
                Integer exit = capture(migration, config, stop, lost, active);
                if (exit != null) {
                    return exit;
                }
            }
            return 0;
        } finally {
            stop.done();
        }
    }

    /** Captures while the lease is held; null to wait for it again, an exit code to end. */
    private static Integer capture(MigrationSpec migration, CaptureConfig config, StopSignal stop, AtomicBoolean lost,
                                   AtomicReference<ChangeStreamCapture> active) throws InterruptedException {
        try (ChangeStreamCapture capture = new ChangeStreamCapture(migration, config)) {
            capture.start();
            active.set(capture);
            while (!stop.await(CHECK)) {
                if (capture.failure().isPresent()) {
                    System.err.println("capture failed: " + capture.failure().get().getMessage());
                    return 1;
                }
                if (lost.get()) {
                    LOG.warn("capture of migration {} lost its lease: stopping; standby again", migration.name());
                    return null;
                }
            }
            return 0;
        } finally {
            active.set(null);
        }
    }

    private static String metrics(MigrationSpec migration, CaptureLease lease, ChangeStreamCapture capture) {
        Map<String, Number> own = new LinkedHashMap<>();
        own.put("up", 1);
        own.put("capture_lease_held", lease.held() ? 1 : 0);
        own.put("events_captured", capture == null ? 0 : capture.eventsCaptured());
        return StageMetrics.render(migration.name(), "capture", own, capture == null ? Map.of() : capture.kafkaMetrics());
    }
}
