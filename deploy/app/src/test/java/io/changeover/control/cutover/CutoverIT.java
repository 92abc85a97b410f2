package io.changeover.control.cutover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;

import io.changeover.demo.DemoSpec;
import io.changeover.control.lag.CapturePosition;
import io.changeover.control.lag.LagMonitor;
import io.changeover.control.lag.SourceClock;
import io.changeover.control.pipeline.Pipeline;
import io.changeover.demo.sample.LiveWriter;
import io.changeover.demo.sample.SampleDataset;
import io.changeover.control.state.MetadataCollection;
import io.changeover.control.state.MigrationState;
import io.changeover.control.state.MigrationStateMachine;
import io.changeover.control.state.StateTracker;
import io.changeover.control.status.LagThreshold;
import io.changeover.control.status.ReadinessRule;
import io.changeover.control.status.StatusReport;
import io.changeover.control.status.StatusSources;
import io.changeover.control.status.StatusText;
import io.changeover.capture.CapturePhase;
import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.embedded.mongo.EmbeddedMongo;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.verify.ExpectedSpecStrategy;
import io.changeover.transform.spec.MigrationSpec;

/**
 * Cutover on the embedded pipeline while a live writer writes: the abort paths leave the writer writing and the
 * migration streaming; the real cutover (its fence hook stops the writer) ends with a target equal to the spec
 * applied to the source.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CutoverIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path work;

    private EmbeddedKafka kafka;
    private EmbeddedMongo sourceServer;
    private EmbeddedMongo targetServer;
    private MongoClient source;
    private MigrationSpec spec;
    private MongoCollection<BsonDocument> jobs;
    private LiveWriter writer;
    private Pipeline pipeline;
    private StatusSources sources;
    private MigrationStateMachine machine;

    @BeforeAll
    void startPipelineWithLiveWriter() throws Exception {
        kafka = EmbeddedKafka.start();
        sourceServer = EmbeddedMongo.start();
        targetServer = EmbeddedMongo.start();
        source = MongoClients.create(sourceServer.connectionString());
        spec = DemoSpec.load(sourceServer.connectionString(), targetServer.connectionString(), kafka.bootstrapServers(), work);
        jobs = source.getDatabase(spec.source().database()).getCollection(SampleDataset.COLLECTION, BsonDocument.class);
        SampleDataset dataset = new SampleDataset(11, 1_500);
        dataset.loadInto(source.getDatabase(spec.source().database()));
        writer = new LiveWriter(source.getDatabase(spec.source().database()), dataset, 150, 11).start();
        pipeline = Pipeline.start(spec);
        sources = StatusSources.forPipeline(pipeline, new ReadinessRule(LagThreshold.DEFAULT));
        machine = MigrationStateMachine.resume(sources.stateStore(), Clock.systemUTC());
        await("snapshot done", () -> pipeline.captureStatus().phase() == CapturePhase.STREAMING);
        new StateTracker(machine).observe(CapturePhase.STREAMING, pipeline.failure(), false);
        assertThat(machine.state()).isEqualTo(MigrationState.STREAMING);
    }

    @AfterAll
    void stop() {
        closeAll(writer, pipeline, sources, source, targetServer, sourceServer, kafka);
    }

    @Test
    @Order(0)
    void statusAndDryRunFromAnotherProcessSeeTheRunningMigration() throws Exception {
        try (StatusSources remote = StatusSources.remote(spec, new ReadinessRule(LagThreshold.DEFAULT, true))) {
            remote.collector().measure();
            Thread.sleep(1000);
            StatusReport report = remote.collector().measure();
            assertThat(report.state()).isEqualTo("streaming");
            assertThat(report.collections()).extracting(c -> c.collection()).containsExactlyInAnyOrder("jobs", "job_matrices");
            assertThat(report.collections()).allSatisfy(c -> {
                assertThat(c.snapshot().done()).isTrue();
                assertThat(c.snapshot().records()).isPositive();
            });
            assertThat(report.stages()).extracting(StatusReport.StageStatus::stage).containsExactly("capture", "transform", "sink");
            assertThat(report.stages().get(2).throughput()).isGreaterThanOrEqualTo(0);
            assertThat(StatusText.render(report)).contains("state      streaming");

            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CutoverContext context = CutoverContexts.remote(spec, remote, new CountingHook(), options());
            new CutoverController(context, MigrationStateMachine.open(remote.stateStore(), Clock.systemUTC()),
                    new PrintStream(bytes, true, StandardCharsets.UTF_8)).dryRun();
            assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("dry run").contains("[5/5] record");
            assertThat(context.capturePosition()).isNotEqualTo(io.changeover.transform.format.SourcePosition.ZERO);
        }
        assertThat(machine.reload().state()).isEqualTo(MigrationState.STREAMING);
    }

    @Test
    @Order(1)
    void holdTimeoutAbortsBeforeTheFenceAndTheWriterKeepsWriting() throws Exception {
        Path hold = java.nio.file.Files.createFile(work.resolve("postpone"));
        CountingHook hook = new CountingHook();
        Result r = cutover(hook, options().withHoldFile(hold), null);
        assertThat(r.result.stage()).isEqualTo("[2/5] hold");
        assertThat(r.text).contains("[1/5] lag gate passed").contains("the source was not fenced and stays writable");
        assertThat(hook.fenced.get()).isZero();
        assertStillStreamingAndWriting();
    }

    @Test
    @Order(2)
    void fenceTimeoutRunsTheUnfenceHook() throws Exception {
        CountingHook hook = new CountingHook();
        CutoverOptions zeroFence = options().withTimeouts(Duration.ofMinutes(2), Duration.ofSeconds(1), Duration.ZERO,
                Duration.ofMinutes(2));
        Result r = cutover(hook, zeroFence, List.of(new FenceStage()));
        assertThat(r.result.stage()).isEqualTo("[1/1] fence");
        assertThat(r.result.reason()).startsWith("timed out after 0 s waiting for");
        assertThat(hook.fenced.get()).isEqualTo(1);
        assertThat(hook.unfenced.get()).isEqualTo(1);
        assertThat(r.text).contains("the source is writable again (unfence hook ran");
        assertThat(source.getDatabase(spec.source().database()).getCollection(FenceStage.FENCE_COLLECTION).countDocuments()).isEqualTo(1);
        assertStillStreamingAndWriting();
    }

    @Test
    @Order(3)
    void failingFenceHookAbortsAndUnfences() throws Exception {
        CountingHook hook = new CountingHook();
        hook.fenceFails = true;
        Result r = cutover(hook, options(), List.of(new FenceStage()));
        assertThat(r.result.reason()).isEqualTo("the fence hook failed: services did not acknowledge");
        assertThat(hook.unfenced.get()).isEqualTo(1);
        assertStillStreamingAndWriting();
    }

    @Test
    @Order(4)
    void mismatchAbortsTheVerification() throws Exception {
        MongoCollection<BsonDocument> targetJobs = sources.target().getDatabase(spec.target().database())
                .getCollection("jobs", BsonDocument.class);
        targetJobs.insertOne(new BsonDocument("_id", new BsonString("not-in-the-source")));
        try {
            Result r = cutover(new CountingHook(), options(), List.of(new VerifyStage()));
            assertThat(r.result.stage()).isEqualTo("[1/1] verify");
            assertThat(r.result.reason()).contains("mismatch(es) between source and target: jobs");
        } finally {
            targetJobs.deleteOne(Filters.eq("_id", "not-in-the-source"));
        }
        assertStillStreamingAndWriting();
    }

    @Test
    @Order(5)
    void cutoverWithALiveWriterEndsWithTheTargetEqualToTheTransformedSource() throws Exception {
        FenceHook stopWriter = new FenceHook() {
            @Override
            public void fence() {
                writer.close();
            }

            @Override
            public void unfence() {
                throw new IllegalStateException("the test's writer cannot restart");
            }

            @Override
            public String describe() {
                return "stop the live writer";
            }
        };
        long before = writer.counts().total();
        Result r = cutover(stopWriter, options(), null);
        assertThat(r.result.cutOver()).as(r.text).isTrue();
        assertThat(writer.counts().total()).isGreaterThan(before);
        assertThat(writer.failure()).isEmpty();
        assertThat(r.text).contains("[3/5] fence passed").contains("[4/5] verify passed in").contains("full verification: ")
                .contains("services should now point at: " + spec.target().uri());
        assertThat(machine.reload().state()).isEqualTo(MigrationState.CUT_OVER);

        BsonDocument record = MetadataCollection.open(sources.target(), spec).find("cutover").orElse(null);
        assertThat(record).isNotNull();
        assertThat(record.getString("specChecksum").getValue()).isEqualTo(spec.checksum());
        assertThat(record.getString("migration").getValue()).isEqualTo("demo");

        assertThat(targetDocuments()).isEqualTo(transformedSource());
        assertThat(targetDocuments().values()).noneMatch(d -> d.containsKey(SinkMarkers.POSITION_FIELD));
    }

    @Test
    @Order(6)
    void afterAFullVerificationOnlyChangedDocumentsAreVerified() throws Exception {
        MongoCollection<BsonDocument> targetJobs = sources.target().getDatabase(spec.target().database())
                .getCollection("jobs", BsonDocument.class);
        BsonValue migrated = targetJobs.find().first().get("legacy_id"); // a job the target holds (first of its group)
        jobs.updateOne(Filters.eq("_id", migrated), new BsonDocument("$set", new BsonDocument("note", new BsonString("late edit"))));
        try (LagMonitor lag = new LagMonitor(spec, sources.admin(), SourceClock.of(source), CapturePosition.of(spec, pipeline.capture()))) {
            await("the edit in the target", () -> lag.measure().zero());
        }

        CutoverContext context = CutoverContexts.forPipeline(pipeline, sources, new CountingHook(), options());
        String summary = new VerifyStage().run(context, new Deadline(Duration.ofMinutes(2)));
        assertThat(summary).startsWith("1 documents changed since the full verification of");
        assertThat(context.verifiedDocuments()).isEqualTo(1);

        targetJobs.updateOne(Filters.eq("legacy_id", migrated), new BsonDocument("$set", new BsonDocument("note", new BsonString("tampered"))));
        assertThatThrownBy(() -> new VerifyStage().run(context, new Deadline(Duration.ofMinutes(2))))
                .isInstanceOf(CutoverAbort.class)
                .hasMessageContaining("1 of the 1 documents changed since the full verification")
                .hasMessageContaining(": different");
    }

    private Map<BsonValue, BsonDocument> transformedSource() {
        CompiledSpec compiled = CompiledSpec.compile(spec);
        Map<BsonValue, BsonDocument> expected = new HashMap<>();
        new ExpectedSpecStrategy(compiled, compiled.collection("jobs"), source.getDatabase(spec.source().database()))
                .expectedDocuments().forEach((placement, d) -> expected.put(placement.id(), d));
        assertThat(expected).isNotEmpty();
        return expected;
    }

    private Map<BsonValue, BsonDocument> targetDocuments() {
        Map<BsonValue, BsonDocument> actual = new HashMap<>();
        sources.target().getDatabase(spec.target().database()).getCollection("jobs", BsonDocument.class).find()
                .forEach(d -> actual.put(d.get("_id"), d));
        return actual;
    }

    private void assertStillStreamingAndWriting() throws InterruptedException {
        assertThat(machine.reload().state()).isEqualTo(MigrationState.STREAMING);
        assertThat(pipeline.failure()).isEmpty();
        long writes = writer.counts().total();
        await("the writer keeps writing", () -> writer.counts().total() > writes);
    }

    /** Dead letters not allowed: a live writer's updates of documents it deletes right after are no data errors. */
    private CutoverOptions options() {
        return CutoverOptions.defaults().withTimeouts(Duration.ofMinutes(2), Duration.ofSeconds(1), Duration.ofMinutes(2),
                Duration.ofMinutes(2));
    }

    private Result cutover(FenceHook hook, CutoverOptions options, List<CutoverStage> stages) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        CutoverContext context = CutoverContexts.forPipeline(pipeline, sources, hook, options);
        CutoverController controller = stages == null ? new CutoverController(context, machine, out)
                : new CutoverController(context, machine, out, stages);
        CutoverResult result = controller.run();
        return new Result(result, bytes.toString(StandardCharsets.UTF_8));
    }

    private record Result(CutoverResult result, String text) {
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(pipeline.failure()).as("pipeline failure while waiting for " + what).isEmpty();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static void closeAll(AutoCloseable... resources) {
        for (AutoCloseable r : resources) {
            if (r != null) {
                try {
                    r.close();
                } catch (Exception e) {
                    // keep closing the others
                }
            }
        }
    }

    static final class CountingHook implements FenceHook {
        final AtomicInteger fenced = new AtomicInteger();
        final AtomicInteger unfenced = new AtomicInteger();
        volatile boolean fenceFails;

        @Override
        public void fence() {
            fenced.incrementAndGet();
            if (fenceFails) {
                throw new IllegalStateException("services did not acknowledge");
            }
        }

        @Override
        public void unfence() {
            unfenced.incrementAndGet();
        }

        @Override
        public String describe() {
            return "counting hook";
        }
    }
}
