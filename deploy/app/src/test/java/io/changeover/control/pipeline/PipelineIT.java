package io.changeover.control.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;

import io.changeover.demo.DemoSpec;
import io.changeover.control.lag.CapturePosition;
import io.changeover.control.lag.LagMonitor;
import io.changeover.control.lag.SourceClock;
import io.changeover.demo.sample.LiveWriter;
import io.changeover.demo.sample.SampleDataset;
import io.changeover.capture.CapturePhase;
import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.embedded.mongo.EmbeddedMongo;
import io.changeover.embedded.mongo.MongoUnderTest;
import io.changeover.sink.PositionGuard;
import io.changeover.transform.engine.CollectionTransform;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.step.Resolution;
import io.changeover.verify.CollectionReport;

/**
 * The whole pipeline with a writer changing the source during the snapshot and after it: once the writer stops and
 * lag is zero, the target is exactly the spec applied to the source.
 *
 * <p>Runs on the in-JVM MongoDB by default; with {@code CHANGEOVER_IT_MONGO_URI} set it runs against that real
 * replica set (databases {@code legacy} and {@code refactored} are dropped first). {@link RealReplicaSetPipelineIT}
 * runs the same scenario on MongoDB in Docker where Docker is available.
 */
class PipelineIT {
    static final String REAL_MONGO_ENV = MongoUnderTest.URI_ENV;
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    Path work;

    @Test
    void liveMigrationConvergesToExactEquality() throws Exception {
        String real = System.getenv(REAL_MONGO_ENV);
        if (real != null && !real.isBlank()) {
            liveMigrationConverges(real, real, work);
            return;
        }
        try (EmbeddedMongo sourceServer = EmbeddedMongo.start(); EmbeddedMongo targetServer = EmbeddedMongo.start()) {
            liveMigrationConverges(sourceServer.connectionString(), targetServer.connectionString(), work);
        }
    }

    /** The scenario, on any source and target replica sets. */
    static void liveMigrationConverges(String sourceUri, String targetUri, Path work) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             MongoClient source = MongoClients.create(sourceUri);
             MongoClient target = MongoClients.create(targetUri)) {
            MigrationSpec spec = DemoSpec.load(sourceUri, targetUri, kafka.bootstrapServers(), work);
            source.getDatabase(spec.source().database()).drop();
            target.getDatabase(spec.target().database()).drop();
            MongoCollection<BsonDocument> jobs = source.getDatabase(spec.source().database())
                    .getCollection(SampleDataset.COLLECTION, BsonDocument.class);
            SampleDataset dataset = new SampleDataset(7, 2_000).largeContentUpTo(256 * 1024);
            dataset.loadInto(source.getDatabase(spec.source().database()));

            try (LiveWriter writer = new LiveWriter(source.getDatabase(spec.source().database()), dataset, 300, 7).start();
                 Pipeline pipeline = Pipeline.start(spec);
                 Admin admin = Admin.create(Map.copyOf(spec.kafka()))) {
                await("snapshot done", pipeline, () -> pipeline.captureStatus().phase() == CapturePhase.STREAMING);
                long changesAtSnapshotEnd = writer.counts().total();
                await("writer made changes after the snapshot", pipeline, () -> writer.counts().total() > changesAtSnapshotEnd + 300);
                writer.close();
                assertThat(writer.failure()).isEmpty();

                try (LagMonitor lag = new LagMonitor(spec, admin, SourceClock.of(source), CapturePosition.of(spec, pipeline.capture()))) {
                    await("zero lag", pipeline, () -> lag.measure().zero());
                }

                List<CollectionReport> reports = SpecVerification.run(spec, source, target, false);
                CollectionReport jobsReport = reports.get(0);
                assertThat(jobsReport.samples()).isEmpty();
                assertThat(jobsReport.mismatches()).isZero();
                assertThat(jobsReport.sourceCount()).isEqualTo(jobs.countDocuments());
                assertThat(jobsReport.targetCount()).isPositive().isEqualTo(jobsReport.expectedCount());
                assertSpotCheck(spec, source, target);
            }
        }
    }

    /**
     * Independently of the verifier: a running job has no target document; a migrated one is the spec applied to its
     * source document, its matrix looked up and its parents' ids computed here from the source.
     */
    private static void assertSpotCheck(MigrationSpec spec, MongoClient source, MongoClient target) {
        MongoCollection<BsonDocument> jobs = source.getDatabase(spec.source().database())
                .getCollection(SampleDataset.COLLECTION, BsonDocument.class);
        MongoCollection<BsonDocument> matrices = source.getDatabase(spec.source().database())
                .getCollection(SampleDataset.MATRICES, BsonDocument.class);
        MongoCollection<BsonDocument> targetJobs = target.getDatabase(spec.target().database())
                .getCollection("jobs", BsonDocument.class);
        BsonDocument running = jobs.find(Filters.eq("status", "running")).first();
        assertThat(running).isNotNull();
        assertThat(targetJobs.find(Filters.eq("legacy_id", running.get("_id"))).first()).isNull();
        // the sink's order guard field is not data (removed at cutover: docs/sink.md)
        BsonDocument actual = PositionGuard.unstamped(targetJobs.find(Filters.exists("pid.0")).first());
        BsonDocument done = jobs.find(Filters.eq("_id", actual.get("legacy_id"))).first();
        CollectionTransform transform = CompiledSpec.compile(spec).collection("jobs");
        BsonDocument expected = transform.apply(done, (collection, id) -> {
            BsonDocument parent = jobs.find(Filters.eq("_id", id)).first();
            return parent == null ? Resolution.MISSING
                    : transform.targetId(parent).map(Resolution::found).orElse(Resolution.MISSING);
        }, (collection, id) -> Optional.ofNullable(matrices.find(Filters.eq("_id", id)).first()))
                .document().orElseThrow();
        assertThat(actual).isEqualTo(expected);
        assertThat(actual.getString("status").getValue()).isEqualTo("completed");
        assertThat(actual.containsKey("job_type")).isFalse();
        assertThat(actual.containsKey("type")).isTrue();
    }

    /** Waits for {@code condition}, failing on a pipeline failure or after {@link #TIMEOUT}. */
    static void await(String what, Pipeline pipeline, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(pipeline.failure()).as("pipeline failure while waiting for " + what).isEmpty();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}
