package io.changeover.demo.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.admin.Admin;
import org.bson.BsonDocument;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;

import io.changeover.demo.DemoSpec;
import io.changeover.control.lag.CapturePosition;
import io.changeover.control.lag.LagMonitor;
import io.changeover.control.lag.LagReport;
import io.changeover.control.lag.SourceClock;
import io.changeover.control.lag.StageLag;
import io.changeover.control.pipeline.Pipeline;
import io.changeover.demo.sample.SampleDataset;
import io.changeover.capture.CapturePhase;
import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.embedded.mongo.EmbeddedMongo;
import io.changeover.transform.TransformConfig;
import io.changeover.transform.blob.ObjectStore;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.format.OutputRecords;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.topics.Topics;

/**
 * The benchmark, as a list of stages in one JVM on the embedded servers: load the source; the copy limit (both
 * collections); the script baseline; Changeover's snapshot (until capture streams and lag is zero); a warm-up of
 * the realistic mix and the re-key workload until the JIT compilers settle, not measured; the mix at each writer
 * rate; the re-key phase (latency from the source write to the document first visible in the target, largest lag,
 * catch-up time after the writer stops); the snapshot again, of a copy of the same documents, in the warm JVM.
 */
public final class BenchRun implements Callable<BenchReport> {
    private static final Duration LAG_SAMPLE = Duration.ofMillis(250);
    private static final Duration ZERO_LAG_POLL = Duration.ofMillis(100);
    /** Polls of the snapshot wait between two CPU samples (a sample reads every thread's CPU time). */
    private static final int CPU_SAMPLE_POLLS = 10;
    private static final Duration TIMEOUT = Duration.ofMinutes(15);
    private static final Duration MAX_WARMUP = Duration.ofMinutes(5);
    private static final int WARMUP_MIX_SECONDS = 10;
    private static final int WARMUP_REKEY_SECONDS = 5;
    private static final double JIT_SETTLED_CORES = 0.1;
    private static final int MIN_BYTES = 600;
    private static final int MAX_BYTES = 1_100;
    private final BenchOptions options;
    private final PrintStream out;
    private KafkaTraffic traffic;
    private final StageCpu stageCpu = new StageCpu();

    public BenchRun(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    @Override
    public BenchReport call() throws Exception {
        HeapSampler.reset();
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             EmbeddedMongo sourceServer = EmbeddedMongo.start();
             EmbeddedMongo targetServer = EmbeddedMongo.start();
             MongoClient source = MongoClients.create(sourceServer.connectionString());
             MongoClient target = MongoClients.create(targetServer.connectionString())) {
            Path work = Files.createTempDirectory("changeover-bench");
            MigrationSpec spec = options.spec() == null
                    ? DemoSpec.load(sourceServer.connectionString(), targetServer.connectionString(), kafka.bootstrapServers(), work)
                    : DemoSpec.load(options.spec(), sourceServer.connectionString(), targetServer.connectionString(),
                    kafka.bootstrapServers(), work);
            step("spec %s (%s)", spec.origin(), spec.checksum());
            SampleDataset dataset = new SampleDataset(options.seed(), options.size())
                    .largeContentUpTo(0).documentSizes(MIN_BYTES, MAX_BYTES);
            MongoCollection<BsonDocument> jobs = collection(source.getDatabase(spec.source().database()));
            step("loading %,d documents into the source", options.size());
            dataset.loadInto(source.getDatabase(spec.source().database()));

            MongoDatabase sourceDb = source.getDatabase(spec.source().database());
            long documents = sourceDb.getCollection(SampleDataset.COLLECTION).countDocuments()
                    + sourceDb.getCollection(SampleDataset.MATRICES).countDocuments();
            double copy = rate(documents, () -> {
                CopyLimit.copy(jobs, collection(target.getDatabase("bench_copy")));
                CopyLimit.copy(sourceDb.getCollection(SampleDataset.MATRICES, BsonDocument.class),
                        target.getDatabase("bench_copy").getCollection(SampleDataset.MATRICES, BsonDocument.class));
            });
            step("copy limit: %,.0f docs/s (%,d jobs and matrices)", copy, documents);
            target.getDatabase("bench_copy").drop(); // the in-JVM target holds everything in this heap
            double script;
            try (ObjectStore blobs = TransformConfig.of(spec).objectStore().open()) {
                script = rate(documents, () -> ScriptBaseline.migrate(CompiledSpec.compile(spec), SampleDataset.COLLECTION,
                        source.getDatabase(spec.source().database()), collection(target.getDatabase("bench_script")), blobs));
            }
            step("script baseline: %,.0f docs/s", script);
            target.getDatabase("bench_script").drop();

            try (Pipeline pipeline = Pipeline.start(spec); Admin admin = Admin.create(Map.copyOf(spec.kafka()));
                 LagMonitor lag = new LagMonitor(spec, admin, SourceClock.of(source), CapturePosition.of(spec, pipeline.capture()))) {
                traffic = new KafkaTraffic(admin, Topics.of(spec.name()));
                long start = System.nanoTime();
                StageCpu.Sample cpuBefore = stageCpu.sample();
                StageCpu.Sample cpuAfter = awaitSnapshotDone(pipeline, lag);
                double snapshot = documents / ((System.nanoTime() - start) / 1e9);
                step("Changeover snapshot: %,.0f docs/s; CPU ms per document by part:%s", snapshot,
                        byPart(cpuBefore, cpuAfter, documents));
                MongoCollection<BsonDocument> targetJobs = collection(target.getDatabase(spec.target().database()));
                SplittableRandom random = new SplittableRandom(options.seed());
                LiveJobs live = new LiveJobs(dataset, options.size(), random);
                BenchWorkload mix = new RealisticMixWorkload(dataset, live, random);
                BenchWorkload rekey = new ReKeyWorkload(dataset, live);
                if (options.warmupSeconds() > 0) {
                    warmUp(pipeline, lag, jobs, targetJobs, mix, rekey);
                }
                List<BenchReport.Streaming> streaming = new ArrayList<>();
                for (double r : options.rates()) {
                    streaming.add(measured(pipeline, lag, jobs, targetJobs, mix, r));
                }
                if (options.rekeyRate() > 0) {
                    streaming.add(measured(pipeline, lag, jobs, targetJobs, rekey, options.rekeyRate()));
                }
                double warmSnapshot = options.warmupSeconds() > 0
                        ? warmSnapshot(warmMigration(spec), dataset, documents, source, target, admin) : -1;
                BenchReport report = new BenchReport(spec.origin() + " " + spec.checksum(), documents, averageBytes(dataset), copy, script, snapshot,
                        warmSnapshot, streaming, HeapSampler.peakBytes());
                report.print(out);
                return report;
            }
        }
    }

    /**
     * Rounds of the mix at the first rate (and of the re-key workload), not measured, for at least the warm-up
     * seconds and until the JIT compilers settle: a migration runs for hours, so its steady state is what counts,
     * and on two cores the compilers of a cold JVM take a third of the machine for minutes. Settled: they used less
     * than a tenth of a core in the last round; at most {@link #MAX_WARMUP}, after which the figures say how much
     * compilation they still include (part {@code jit}).
     */
    private void warmUp(Pipeline pipeline, LagMonitor lag, MongoCollection<BsonDocument> jobs,
                        MongoCollection<BsonDocument> targetJobs, BenchWorkload mix, BenchWorkload rekey)
            throws InterruptedException {
        step("warm-up: the mix at %,.0f changes/s%s for at least %d s, until the JIT compilers settle; not measured",
                options.rates().get(0), options.rekeyRate() > 0 ? " and the re-key workload" : "", options.warmupSeconds());
        long start = System.nanoTime();
        while (true) {
            StageCpu.Sample before = stageCpu.sample();
            long roundStart = System.nanoTime();
            stream(pipeline, lag, jobs, targetJobs, mix, options.rates().get(0), WARMUP_MIX_SECONDS, "warm-up");
            if (options.rekeyRate() > 0) {
                stream(pipeline, lag, jobs, targetJobs, rekey, options.rekeyRate(), WARMUP_REKEY_SECONDS, "warm-up-re-key");
            }
            double cores = StageCpu.nanos(before, stageCpu.sample(), StageCpu.JIT) / (double) (System.nanoTime() - roundStart);
            long elapsed = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            if (elapsed >= options.warmupSeconds() && cores < JIT_SETTLED_CORES) {
                step("warm-up done after %d s: the JIT compilers used %.0f%% of a core in the last round", elapsed, 100 * cores);
                return;
            }
            if (elapsed >= MAX_WARMUP.toSeconds()) {
                step("warm-up stopped after %d s with the JIT compilers still at %.0f%% of a core: the figures include"
                        + " compilation (part jit)", elapsed, 100 * cores);
                return;
            }
            step("warm-up: %d s so far; the JIT compilers used %.0f%% of a core in the last round (settled below %.0f%%)",
                    elapsed, 100 * cores, 100 * JIT_SETTLED_CORES);
        }
    }

    private BenchReport.Streaming measured(Pipeline pipeline, LagMonitor lag, MongoCollection<BsonDocument> jobs,
                                           MongoCollection<BsonDocument> targetJobs, BenchWorkload workload, double rate)
            throws InterruptedException {
        BenchReport.Streaming phase = stream(pipeline, lag, jobs, targetJobs, workload, rate, options.streamSeconds(),
                workload.name() + "-" + (long) rate);
        step("%s at %,.0f/s: p99 %.1f ms, catch-up %.1f s", workload.name(), rate, phase.p99Ms(), phase.catchUpSeconds());
        return phase;
    }

    private BenchReport.Streaming stream(Pipeline pipeline, LagMonitor lag, MongoCollection<BsonDocument> jobs,
                                         MongoCollection<BsonDocument> targetJobs, BenchWorkload workload, double rate,
                                         int streamSeconds, String phase) throws InterruptedException {
        step("%s: writer at %,.0f changes/s for %d s", phase, rate, streamSeconds);
        StageMaxima lags = new StageMaxima();
        try (TargetLatencyProbe probe = new TargetLatencyProbe(targetJobs, phase)) {
            long written;
            long writerCpu;
            double seconds;
            long cpuStart = ProcessCpu.nanos();
            StageCpu.Sample cpuBefore = stageCpu.sample();
            Map<String, Long> offsetsBefore = traffic.ends();
            try (PacedBulkWriter writer = new PacedBulkWriter(jobs, workload, rate, phase).start()) {
                long start = System.nanoTime();
                long end = start + Duration.ofSeconds(streamSeconds).toNanos();
                while (System.nanoTime() < end) {
                    lags.add(measure(lag));
                    failIfBroken(pipeline, writer);
                    Thread.sleep(LAG_SAMPLE.toMillis()); // sampling lag while the writer writes
                }
                writer.close();
                written = writer.written();
                writerCpu = writer.cpuNanos();
                seconds = (System.nanoTime() - start) / 1e9;
            }
            long stopped = System.nanoTime();
            // a phase the pipeline could not drain within the timeout is reported as such (catch-up -1), not lost
            double catchUp = tryAwaitZeroLag(pipeline, lag) ? (System.nanoTime() - stopped) / 1e9 : -1;
            double cpuMsPerChange = cpuStart < 0 || written == 0 ? -1 : (ProcessCpu.nanos() - cpuStart) / 1e6 / written;
            Map<String, Double> cpuByPart = StageCpu.perChange(cpuBefore, stageCpu.sample(),
                    writerCpu < 0 ? Map.of() : Map.of(StageCpu.BENCH, writerCpu), written);
            Map<String, Double> kafkaWrites = KafkaTraffic.perChange(offsetsBefore, traffic.ends(), written);
            Thread.sleep(500); // the probe's change stream delivers what the sink wrote just before zero lag
            LatencyRecorder l = probe.latencies();
            step("%s: slowest writes %s", phase, probe.slowest());
            return new BenchReport.Streaming(workload.name(), rate, written / seconds, l.count(), l.percentileMillis(50),
                    l.percentileMillis(95), l.percentileMillis(99), l.maxMillis(), lags.transform + lags.sink, catchUp,
                    lags.captureSeconds, lags.transform, lags.sink, cpuMsPerChange, kafkaWrites, cpuByPart);
        }
    }

    /** The largest lag of each stage over a phase's samples (a sample Kafka did not answer in time is left out). */
    private static final class StageMaxima {
        double captureSeconds;
        long transform;
        long sink;

        void add(LagReport report) {
            if (report == UNMEASURED) {
                return;
            }
            captureSeconds = Math.max(captureSeconds, report.capture().seconds());
            transform = Math.max(transform, report.transform().events());
            sink = Math.max(sink, report.sink().events());
        }
    }

    /**
     * One lag sample. A sample Kafka did not answer in time (the broker shares this heap and CPU with everything
     * else) counts as "behind" and the next sample is taken, instead of ending the benchmark.
     */
    private static LagReport measure(LagMonitor lag) {
        try {
            return lag.measure();
        } catch (IllegalStateException timedOut) {
            return UNMEASURED;
        }
    }

    private static final LagReport UNMEASURED = new LagReport(new StageLag("capture", -1, 1),
            new StageLag("transform", 0, -1), new StageLag("sink", 0, -1));

    /**
     * A second migration of the same documents (a copy loaded into {@code <database>_warm} first) into another
     * target database, after the streaming phases: the snapshot of a warm JVM, as a long snapshot of a large
     * collection runs after its first minutes. The first one starts with the JVM's JIT compilers, which on two cores
     * take a third of the machine while it runs.
     */
    private static MigrationSpec warmMigration(MigrationSpec spec) {
        return new MigrationSpec(spec.name() + "-warm",
                new MigrationSpec.Endpoint(spec.source().uri(), spec.source().database() + "_warm"),
                new MigrationSpec.Endpoint(spec.target().uri(), spec.target().database() + "_warm"), spec.kafka(),
                spec.capture(), spec.transform(), spec.sink(), spec.collections(), spec.checksum(), spec.origin(),
                spec.canonicalForm());
    }

    private double warmSnapshot(MigrationSpec warm, SampleDataset dataset, long documents, MongoClient source,
                                MongoClient target, Admin admin) throws InterruptedException {
        // loaded only now: a copy in the in-JVM source from the start made every streaming phase's GC work harder
        step("loading the same documents into %s for the warm snapshot", warm.source().database());
        dataset.loadInto(source.getDatabase(warm.source().database()));
        step("warm snapshot: migration %s of the same %,d documents from %s into %s", warm.name(), documents,
                warm.source().database(), warm.target().database());
        double rate;
        try (Pipeline pipeline = Pipeline.start(warm);
             LagMonitor lag = new LagMonitor(warm, admin, SourceClock.of(source), CapturePosition.of(warm, pipeline.capture()))) {
            long start = System.nanoTime();
            StageCpu.Sample cpuBefore = stageCpu.sample();
            StageCpu.Sample cpuAfter = awaitSnapshotDone(pipeline, lag);
            rate = documents / ((System.nanoTime() - start) / 1e9);
            step("Changeover snapshot, warm JVM: %,.0f docs/s; CPU ms per document by part:%s", rate,
                    byPart(cpuBefore, cpuAfter, documents));
        }
        target.getDatabase(warm.target().database()).drop(); // the in-JVM target holds everything in this heap
        return rate;
    }

    /**
     * The snapshot is done when capture streams and nothing it captured waits anywhere: every document of both
     * collections has been through the transform to the target.
     */
    private StageCpu.Sample awaitSnapshotDone(Pipeline pipeline, LagMonitor lag) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        StageCpu.Sample seen = null;   // the snapshot's threads end with it: their CPU as last seen
        for (int polls = 0; pipeline.capture().phase() != CapturePhase.STREAMING; polls++) {
            if (polls % CPU_SAMPLE_POLLS == 0) {
                seen = withEnded(stageCpu.sample(), seen);
            }
            pipeline.failure().ifPresent(f -> {
                throw new IllegalStateException(f);
            });
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("capture did not finish its snapshot within " + TIMEOUT);
            }
            Thread.sleep(ZERO_LAG_POLL.toMillis()); // waiting for capture to finish reading the snapshot
        }
        if (!tryAwaitZeroLag(pipeline, lag)) {
            throw new IllegalStateException("lag did not reach zero within " + TIMEOUT);
        }
        return withEnded(stageCpu.sample(), seen);
    }

    private static StageCpu.Sample withEnded(StageCpu.Sample latest, StageCpu.Sample earlier) {
        return latest == null ? null : latest.withEnded(earlier);
    }

    /** True when lag reached zero within {@link #TIMEOUT}; a failed pipeline throws. */
    private static boolean tryAwaitZeroLag(Pipeline pipeline, LagMonitor lag) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!measure(lag).zero()) {
            pipeline.failure().ifPresent(f -> {
                throw new IllegalStateException(f);
            });
            if (System.nanoTime() > deadline) {
                return false;
            }
            // polling for zero lag: the resolution of the snapshot and catch-up figures. Each poll asks the broker for
            // end offsets and committed offsets of every topic; at 20 ms the admin client alone took 2-3 % of the
            // two cores the measured pipeline runs on, and the broker's answers more
            Thread.sleep(ZERO_LAG_POLL.toMillis());
        }
        return true;
    }

    private static void failIfBroken(Pipeline pipeline, PacedBulkWriter writer) {
        pipeline.failure().ifPresent(f -> {
            throw new IllegalStateException(f);
        });
        if (writer.failure() != null) {
            throw new IllegalStateException("benchmark writer failed: " + writer.failure(), writer.failure());
        }
    }

    /** CPU per document by part between two samples, as the report prints a phase's. */
    private static String byPart(StageCpu.Sample before, StageCpu.Sample after, long documents) {
        return StageCpu.describe(StageCpu.perChange(before, after, documents));
    }

    private static double rate(long documents, Runnable work) {
        long start = System.nanoTime();
        work.run();
        return documents / ((System.nanoTime() - start) / 1e9);
    }

    private static long averageBytes(SampleDataset dataset) {
        int n = Math.min(1_000, dataset.size());
        long total = 0;
        for (int i = 0; i < n; i++) {
            total += OutputRecords.value(dataset.document(i)).length;
        }
        return n == 0 ? 0 : total / n;
    }

    private static MongoCollection<BsonDocument> collection(MongoDatabase db) {
        return db.getCollection(SampleDataset.COLLECTION, BsonDocument.class);
    }

    private void step(String format, Object... args) {
        out.println("==> " + String.format(format, args));
    }
}
