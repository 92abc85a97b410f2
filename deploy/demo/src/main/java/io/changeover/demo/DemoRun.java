package io.changeover.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

import org.bson.BsonDocument;


import io.changeover.control.cutover.CutoverContext;
import io.changeover.control.cutover.CutoverContexts;
import io.changeover.control.cutover.CutoverController;
import io.changeover.control.cutover.CutoverOptions;
import io.changeover.control.cutover.CutoverResult;
import io.changeover.control.cutover.FenceHook;
import io.changeover.control.http.HttpBinding;
import io.changeover.control.http.StatusServer;
import io.changeover.control.lag.LagReport;
import io.changeover.control.pipeline.Pipeline;
import io.changeover.control.pipeline.SpecVerification;
import io.changeover.control.pipeline.VerificationTable;
import io.changeover.control.progress.PipelineMonitor;
import io.changeover.control.progress.ProgressPrinter;
import io.changeover.demo.sample.DemoWriter;
import io.changeover.demo.sample.LiveWriterCounts;
import io.changeover.control.state.MigrationStateMachine;
import io.changeover.control.state.StateTracker;
import io.changeover.control.status.LagThreshold;
import io.changeover.control.status.ReadinessRule;
import io.changeover.control.status.StatusPoller;
import io.changeover.control.status.StatusSources;
import io.changeover.control.status.StatusText;
import io.changeover.capture.CapturePhase;
import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.sink.SinkStatus;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.verify.CollectionReport;

/**
 * The demo, as a list of stages: start the embedded servers, load the sample data, start a live writer, snapshot,
 * stream while the writer writes, cut over (lag gate, fence: stop the writer and wait until the target has every
 * write before the fence, final verification, record), summarize.
 * Exit code 0 when the target equals the spec applied to the source, 1 otherwise.
 */
public final class DemoRun implements Callable<Integer> {
    private static final Duration REFRESH = Duration.ofMillis(500);
    private static final Duration STATUS_PERIOD = Duration.ofSeconds(1);
    private final DemoOptions options;
    private final PrintStream out;
    private final ProgressPrinter printer;
    private DemoTarget target;

    public DemoRun(DemoOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.printer = ProgressPrinter.forStdout();
    }

    @Override
    public Integer call() throws Exception {
        step("starting the embedded Kafka broker (in this JVM), the " + options.source() + " source and the "
                + options.target() + " target");
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             DemoSource source = DemoSource.start(options.source());
             DemoTarget targetServer = DemoTarget.start(options.target())) {
            step(source.describe() + "; " + targetServer.describe());
            this.target = targetServer;
            MigrationSpec spec = demoSpec(source, targetServer, kafka);
            loadSampleData(source);
            try (DemoWriter writer = source.startWriter(options)) {
                step(String.format("live writer started: %.0f changes/s (inserts, updates, deletes)", options.rate()));
                return migrate(spec, source, writer);
            }
        } catch (DemoFailure e) {
            printer.message("demo FAILED: " + e.getMessage());
            return 1;
        }
    }

    private int migrate(MigrationSpec spec, DemoSource source, DemoWriter writer) throws InterruptedException {
        Timings timings = new Timings();
        step("starting the pipeline: capture (Debezium) -> transform (Kafka Streams) -> sink");
        try (Pipeline pipeline = Pipeline.start(spec); PipelineMonitor monitor = PipelineMonitor.open(pipeline, printer);
             StatusSources sources = StatusSources.forPipeline(pipeline, new ReadinessRule(LagThreshold.DEFAULT, true));
             StatusPoller poller = StatusPoller.start(sources.collector(), STATUS_PERIOD.toMillis());
             StatusServer server = statusServer(poller, sources)) {
            StateTracker tracker = new StateTracker(MigrationStateMachine.resume(sources.stateStore(), Clock.systemUTC()));
            poller.onReport(r -> tracker.observe(pipeline.captureStatus().phase(), pipeline.failure(), r.cutover().allowed()));
            if (server != null) {
                step("status: http://127.0.0.1:" + server.port() + "/ (JSON at /status, Prometheus metrics at /metrics)");
            }
            Progress progress = new Progress(pipeline, monitor, writer);
            progress.await("waiting for the snapshot to finish", () -> pipeline.captureStatus().phase() == CapturePhase.STREAMING);
            timings.snapshotDone();
            tracker.observe(pipeline.captureStatus().phase(), pipeline.failure(), false);
            long snapshotted = pipeline.captureStatus().collections().stream().mapToLong(c -> c.snapshotRecords()).sum();
            step(String.format("snapshot done: %,d documents in %.1f s; streaming changes while the writer writes for %d s",
                    snapshotted, timings.snapshotSeconds(), options.writeSeconds()));
            progress.runFor(Duration.ofSeconds(options.writeSeconds()), "streaming while the writer writes");

            step("status before the cutover (as `changeover status` prints it):");
            out.print(StatusText.render(sources.collector().measure()));
            step("cutover: lag gate, fence (stops the live writer), final verification, record");
            CutoverContext context = CutoverContexts.forPipeline(pipeline, sources, stopWriter(writer, timings), cutoverOptions());
            CutoverResult result = new CutoverController(context, tracker.machine(), out)
                    .onPassed((stage, seconds) -> {
                        if (stage.equals("fence")) {
                            timings.zeroLag();
                        }
                    })
                    .run();
            writer.close();
            if (writer.failure().isPresent()) {
                throw new DemoFailure("the live writer failed: " + writer.failure().get());
            }
            List<CollectionReport> reports = context.verification();
            if (reports.isEmpty()) {
                throw new DemoFailure("cutover aborted at " + result.stage() + ": " + result.reason());
            }
            long mismatches = SpecVerification.mismatches(reports);
            VerificationTable.print(reports, out);
            summary(spec, source, pipeline.sinkStatus(), writer.counts(), snapshotted, timings, reports, mismatches,
                    sources.deadLetters());
            return mismatches == 0 && result.cutOver() ? 0 : 1;
        }
    }

    /** The demo's fence hook: the services are its live writer, so fencing stops it. */
    private static FenceHook stopWriter(DemoWriter writer, Timings timings) {
        return new FenceHook() {
            @Override
            public void fence() {
                writer.close();
                timings.writerStopped();
            }

            @Override
            public void unfence() {
                throw new IllegalStateException("the demo's writer cannot be restarted");
            }

            @Override
            public String describe() {
                return "stop the demo's live writer";
            }
        };
    }

    /** Every wait bounded by --timeout-seconds; a dead letter blocks the cutover, as it would for an operator. */
    private CutoverOptions cutoverOptions() {
        Duration timeout = Duration.ofSeconds(options.timeoutSeconds());
        return CutoverOptions.defaults().withTimeouts(timeout, timeout, timeout, timeout).withFullVerification(true);
    }

    private StatusServer statusServer(StatusPoller poller, StatusSources sources) {
        return options.statusPort() < 0 ? null
                : StatusServer.start(new HttpBinding(HttpBinding.LOOPBACK, options.statusPort(), null), poller::latest,
                        sources.collector()::history);
    }

    private void loadSampleData(DemoSource source) {
        step(String.format("loading the sample data into the source (size %,d, seed %d)", options.size(), options.seed()));
        long start = System.nanoTime();
        String loaded = source.load(options);
        step(String.format("loaded %s in %.1f s", loaded, (System.nanoTime() - start) / 1e9));
    }

    private void summary(MigrationSpec spec, DemoSource source, SinkStatus sink, LiveWriterCounts writes, long snapshotted,
                         Timings timings, List<CollectionReport> reports, long mismatches, long deadLetters) {
        long targetCount = reports.stream().mapToLong(CollectionReport::targetCount).sum();
        long compared = reports.stream().mapToLong(CollectionReport::expectedCount).sum();
        double seconds = timings.totalSeconds();
        out.println();
        out.println("Changeover demo summary");
        out.printf("  source documents          %s%n", source.count());
        out.printf("  documents migrated        %,d: %s, in %s%n", targetCount, source.migrated(),
                target.client() == null ? "PostgreSQL tables" : "MongoDB database refactored");
        out.printf("  snapshot                  %,d documents in %.1f s from pipeline start (%,.0f docs/s)%n", snapshotted,
                timings.snapshotSeconds(), snapshotted / Math.max(0.001, timings.snapshotSeconds()));
        out.printf("  sink writes               %,d upserts, %,d deletes in %.1f s (%,.0f docs/s)%n", sink.documentsWritten(),
                sink.documentsDeleted(), seconds, (sink.documentsWritten() + sink.documentsDeleted()) / Math.max(0.001, seconds));
        out.printf("  live writer               %,d changes (%,d inserts, %,d updates, %,d replaces, %,d deletes)%n",
                writes.total(), writes.inserts(), writes.updates(), writes.replaces(), writes.deletes());
        out.printf("  writer stop to zero lag   %.1f s%n", timings.catchUpSeconds());
        out.printf("  mismatches                %,d (%,d documents compared)%n", mismatches, compared);
        out.printf("  dead letters              %,d%n", deadLetters);
        out.println(mismatches == 0 ? "  result                    PASSED: the target equals the spec applied to the source"
                : "  result                    FAILED: see the differences above");
    }

    private MigrationSpec demoSpec(DemoSource source, DemoTarget target, EmbeddedKafka kafka) {
        Path work = workDir();
        Path file = work.resolve("demo-spec.yaml");
        DemoSpec.write(file, source.uri(), target.uri(), kafka.bootstrapServers(), work);
        step("spec: " + file + " (watch from another terminal: deploy/changeover status --spec " + file + " --watch)");
        return DemoSpec.load(source.uri(), target.uri(), kafka.bootstrapServers(), work);
    }

    /** A fresh directory for this run's Kafka Streams state. */
    private static Path workDir() {
        try {
            return Files.createTempDirectory("changeover-demo");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the demo", e);
        }
    }

    private void step(String message) {
        printer.message("==> " + message);
    }

    /** Refreshes progress while waiting, and stops the wait when a stage or the writer fails. */
    private final class Progress {
        private final Pipeline pipeline;
        private final PipelineMonitor monitor;
        private final DemoWriter writer;

        Progress(Pipeline pipeline, PipelineMonitor monitor, DemoWriter writer) {
            this.pipeline = pipeline;
            this.monitor = monitor;
            this.writer = writer;
        }

        void await(String why, BooleanSupplier done) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(options.timeoutSeconds()).toNanos();
            while (!done.getAsBoolean()) {
                tick(why, deadline);
                Thread.sleep(REFRESH.toMillis());
            }
        }

        void runFor(Duration duration, String why) throws InterruptedException {
            long end = System.nanoTime() + duration.toNanos();
            while (System.nanoTime() < end) {
                tick(why, Long.MAX_VALUE);
                Thread.sleep(REFRESH.toMillis());
            }
        }

        private LagReport tick(String why, long deadline) {
            pipeline.failure().ifPresent(f -> {
                throw new DemoFailure(f);
            });
            if (System.nanoTime() > deadline) {
                throw new DemoFailure("gave up " + why + " after " + options.timeoutSeconds() + " s (--timeout-seconds)");
            }
            monitor.suffix(String.format(" | writer %,d changes", writer.counts().total()));
            return monitor.refresh();
        }
    }

    /** Wall-clock marks of the demo's stages. */
    private static final class Timings {
        private final long start = System.nanoTime();
        private long snapshotDone;
        private long writerStopped;
        private long zeroLag;

        void snapshotDone() {
            snapshotDone = System.nanoTime();
        }

        void writerStopped() {
            writerStopped = System.nanoTime();
        }

        void zeroLag() {
            zeroLag = System.nanoTime();
        }

        double snapshotSeconds() {
            return (snapshotDone - start) / 1e9;
        }

        double catchUpSeconds() {
            return (zeroLag - writerStopped) / 1e9;
        }

        double totalSeconds() {
            return (zeroLag - start) / 1e9;
        }
    }

    /** Why the demo stopped before verification. */
    static final class DemoFailure extends RuntimeException {
        DemoFailure(String message) {
            super(message);
        }
    }
}
