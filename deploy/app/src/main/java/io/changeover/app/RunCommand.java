package io.changeover.app;

import io.changeover.stages.SpecOption;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.changeover.control.http.HttpBinding;
import io.changeover.control.http.StatusServer;
import io.changeover.control.pipeline.Pipeline;
import io.changeover.control.progress.PipelineMonitor;
import io.changeover.control.progress.ProgressPrinter;
import io.changeover.control.state.MetadataCollection;
import io.changeover.control.state.MetadataStateStore;
import io.changeover.control.state.MigrationState;
import io.changeover.control.state.MigrationStateMachine;
import io.changeover.control.state.StateRecord;
import io.changeover.control.state.StateTracker;
import io.changeover.control.status.StatusPoller;
import io.changeover.control.status.StatusSources;
import io.changeover.capture.CaptureConfig;
import io.changeover.capture.CaptureLease;
import io.changeover.transform.spec.MigrationSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Runs capture, transform and sink of one migration until stopped (Ctrl-C) or a stage fails; keeps the migration's
 * state in the target's metadata and serves status over HTTP. Its capture holds the migration's capture lease like
 * {@code changeover capture}: it refuses to start while another capture is active, and stops if it loses the lease.
 */
@Command(name = "run", description = "Run capture, transform and sink of a migration until stopped (Ctrl-C);"
        + " serve status over HTTP.")
final class RunCommand implements Callable<Integer> {
    static final long STATUS_PERIOD_MS = 1000;

    @Mixin
    SpecOption spec;

    @Mixin
    ThresholdOptions threshold;

    @Mixin
    StatusEndpointOptions endpoint;

    @Option(names = "--resume", description = "Resume a paused migration.")
    boolean resume;

    @Option(names = "--lease-timeout-seconds", defaultValue = "10",
            description = "Seconds without a sign of life from this process before a standby capture may take over"
                    + " (default ${DEFAULT-VALUE}); `run` waits this long plus 10 s for the lease before refusing.")
    int leaseTimeoutSeconds;

    @Override
    public Integer call() throws Exception {
        MigrationSpec migration = spec.load();
        HttpBinding binding;
        try {
            binding = endpoint.binding();
        } catch (IllegalArgumentException e) {
            System.err.println("run: " + e.getMessage());
            return 64;
        }
        StateRecord saved = savedState(migration, resume);
        if (saved != null && (saved.state() == MigrationState.CUT_OVER || saved.state() == MigrationState.PAUSED)) {
            System.err.println("migration " + migration.name() + " is " + saved.state() + " since " + saved.since()
                    + " (" + saved.reason() + "); not starting the pipeline");
            if (saved.state() == MigrationState.PAUSED) {
                System.err.println("start it again with `changeover run --resume`");
            }
            return saved.state() == MigrationState.CUT_OVER ? 0 : 3;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "changeover-stop"));
        AtomicBoolean leaseLost = new AtomicBoolean();
        Duration leaseTimeout = Duration.ofSeconds(leaseTimeoutSeconds);
        try (CaptureLease lease = CaptureLease.join(migration, CaptureConfig.from(migration), leaseTimeout,
                () -> leaseLost.set(true))) {
            if (!lease.awaitHeld(leaseTimeout.plusSeconds(10))) {   // a holder that just died is expelled by then
                System.err.println("run: another capture of migration " + migration.name() + " is active (it holds the"
                        + " capture lease); stop it, or run the stages as separate processes (docs/processes.md)");
                return 75;
            }
            return runPipeline(migration, binding, stop, leaseLost);
        }
    }

    private Integer runPipeline(MigrationSpec migration, HttpBinding binding, CountDownLatch stop, AtomicBoolean leaseLost)
            throws InterruptedException {
        try (Pipeline pipeline = Pipeline.start(migration);
             PipelineMonitor monitor = PipelineMonitor.open(pipeline, ProgressPrinter.forStdout());
             StatusSources sources = StatusSources.forPipeline(pipeline, threshold.readiness());
             StatusPoller poller = StatusPoller.start(sources.collector(), STATUS_PERIOD_MS);
             StatusServer server = binding == null ? null : StatusServer.start(binding, poller::latest, sources.collector()::history)) {
            StateTracker tracker = new StateTracker(MigrationStateMachine.resume(sources.stateStore(), Clock.systemUTC()));
            poller.onReport(r -> tracker.observe(pipeline.captureStatus().phase(), pipeline.failure(), r.cutover().allowed()));
            if (server != null) {
                monitor.printer().message("status: http://" + binding.host() + ":" + server.port() + "/");
            }
            while (stop.getCount() > 0) {
                monitor.refresh();
                StateRecord now = tracker.machine().reload();
                if (now.state() == MigrationState.CUT_OVER || now.state() == MigrationState.PAUSED) {
                    monitor.printer().message("migration " + migration.name() + " is " + now.state() + " (" + now.reason()
                            + "); stopping the pipeline");
                    return 0;
                }
                if (pipeline.failure().isPresent()) {
                    tracker.observe(pipeline.captureStatus().phase(), pipeline.failure(), false);
                    System.err.println(pipeline.failure().get());
                    return 1;
                }
                if (leaseLost.get()) {
                    System.err.println("run: the capture lease of migration " + migration.name() + " was lost (this"
                            + " process was silent longer than the lease timeout, or left its group); stopping so"
                            + " that only one capture writes");
                    return 1;
                }
                stop.await(1, TimeUnit.SECONDS);
            }
        }
        return 0;
    }

    /** The saved state; with {@code resume}, a paused migration is resumed as snapshotting (the tracker moves on). */
    static StateRecord savedState(MigrationSpec migration, boolean resume) {
        try (var target = migration.target().isRelational() ? null
                : com.mongodb.client.MongoClients.create(migration.target().uri())) {
            MetadataStateStore store = new MetadataStateStore(MetadataCollection.open(target, migration), migration.name());
            StateRecord saved = store.load().orElse(null);
            if (resume && saved != null && saved.state() == MigrationState.PAUSED) {
                return MigrationStateMachine.open(store, Clock.systemUTC()).moveTo(MigrationState.SNAPSHOTTING,
                        "resumed by an operator; the capture continues from its position");
            }
            return saved;
        }
    }
}
