package io.changeover.control.lag;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import io.changeover.control.status.LagThreshold;
import io.changeover.control.status.ReadinessRule;
import io.changeover.control.status.StatusReport;
import io.changeover.control.status.StatusSources;
import io.changeover.capture.CaptureConfig;
import io.changeover.capture.CapturePhase;
import io.changeover.capture.ChangeStreamCapture;
import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.embedded.mongo.EmbeddedMongo;
import io.changeover.sink.SinkRunner;
import io.changeover.transform.TransformRunner;
import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;

/**
 * Lag an operator can trust, on a real pipeline whose sink is held back while a service keeps writing: status (from
 * another process's view: Kafka, the source, the target) reports lag in seconds and in changes that grow while the
 * backlog builds, never 0 s while changes wait, and both fall to 0 once the sink is released and has applied
 * everything, which the target then holds (the oracle: the source's documents, renamed).
 */
class LagBacklogIT {
    private static final Logger LOG = LoggerFactory.getLogger(LagBacklogIT.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final int DOCUMENTS = 300;
    private static final String SPEC = """
            migration: backlog
            source: {uri: "%s", database: legacy}
            target: {uri: "%s", database: refactored}
            kafka: {bootstrap.servers: "%s"}
            transform: {state.dir: "%s", raw.topic.partitions: 3, output.topic.partitions: 3}
            collections:
              jobs:
                steps:
                  - rename: {job_type: type}
            """;

    @TempDir
    Path work;

    @Test
    void secondsAndChangesGrowWhileTheSinkIsHeldAndFallToZeroOnceItIsReleased() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); EmbeddedMongo sourceServer = EmbeddedMongo.start();
             EmbeddedMongo targetServer = EmbeddedMongo.start();
             MongoClient source = MongoClients.create(sourceServer.connectionString());
             MongoClient target = MongoClients.create(targetServer.connectionString())) {
            MigrationSpec spec = SpecLoader.parse(SPEC.formatted(sourceServer.connectionString(), targetServer.connectionString(),
                    kafka.bootstrapServers(), work.resolve("state")), "it.yaml");
            MongoCollection<BsonDocument> jobs = source.getDatabase("legacy").getCollection("jobs", BsonDocument.class);
            for (int i = 0; i < DOCUMENTS; i++) {
                jobs.insertOne(job(i, 0));
            }
            SourceClock clock = SourceClock.of(source);
            try (TransformRunner transform = TransformRunner.start(spec);
                 ChangeStreamCapture capture = new ChangeStreamCapture(spec, CaptureConfig.from(spec));
                 StatusSources status = StatusSources.remote(spec, new ReadinessRule(LagThreshold.DEFAULT))) {
                capture.start();
                await("snapshot done", () -> capture.status().phase() == CapturePhase.STREAMING);
                // the sink is held: every change waits in the output topics
                List<StatusReport> building = new ArrayList<>();
                int version = 1;
                long heldBefore = 0;
                while (building.size() < 3) {
                    SourcePosition before = clock.latest();
                    while (LagAge.between(before, clock.latest()) < 2) {   // two seconds of source time
                        jobs.replaceOne(new BsonDocument("_id", new BsonInt32(version % DOCUMENTS)), job(version % DOCUMENTS, version));
                        version++;
                        Thread.sleep(20);   // a service writing ~50 changes a second
                    }
                    long held = heldBefore;   // the capture writes the new changes on its own: wait until they are held
                    // and the transform has passed them on: while it commits, a change it consumed is counted both on
                    // its input and its output (lag errs on the safe side), so only the sink's count grows monotonically
                    StatusReport report = awaitReport(status,
                            r -> r.stages().get(1).changes() == 0 && r.lag().changes() > held);
                    heldBefore = report.lag().changes();
                    building.add(report);
                    LOG.info("sink held: {}", figures(report));
                }
                assertThat(building).allSatisfy(r -> assertThat(r.lag().seconds()).as("never 0 s while changes wait").isPositive());
                for (int i = 1; i < building.size(); i++) {
                    StatusReport earlier = building.get(i - 1);
                    StatusReport later = building.get(i);
                    assertThat(later.lag().seconds()).as("lag seconds grow while the sink is held")
                            .isGreaterThan(earlier.lag().seconds());
                    assertThat(later.lag().changes()).as("lag changes grow while the service writes")
                            .isGreaterThan(earlier.lag().changes());
                    assertThat(later.collections().get(0).lag().seconds()).as("one collection: its lag is the lag")
                            .isEqualTo(later.lag().seconds());
                    assertThat(later.stages().get(2).seconds()).as("the sink holds changes since the snapshot")
                            .isGreaterThan(earlier.stages().get(2).seconds());
                }
                assertThat(building.get(2).lag().changes()).as("every snapshot read and change is held")
                        .isGreaterThanOrEqualTo(DOCUMENTS);
                assertThat(building.get(2).collections().get(0).detail().sinkChanges()).isPositive();
                assertThat(building.get(2).cutover().allowed()).isFalse();
                LOG.info("one status measurement with a backlog takes {} ms (median of 5; a figure, not asserted)",
                        medianMillis(status));

                try (SinkRunner sink = SinkRunner.start(spec)) {
                    StatusReport zero = awaitReport(status, r -> r.lag().changes() == 0 && r.lag().seconds() == 0);
                    LOG.info("sink released: {}", figures(zero));
                    assertThat(zero.stages()).allSatisfy(s -> assertThat(s.seconds()).isZero());
                    assertThat(zero.collections().get(0).lag().seconds()).isZero();
                    // the cutover's measure counts offsets: a transaction marker the sink's group has not committed past
                    // yet holds no change but keeps it above zero until the group's next commit
                    await("the cutover's measure at zero", () -> status.collector().lag().zero());
                    assertThat(status.collector().history().samples()).as("the history kept the backlog")
                            .anySatisfy(s -> assertThat(s.overall().changes()).isGreaterThanOrEqualTo(DOCUMENTS));
                    MongoCollection<BsonDocument> migrated = target.getDatabase("refactored").getCollection("jobs", BsonDocument.class);
                    for (BsonDocument expected : jobs.find()) {
                        BsonDocument actual = migrated.find(new BsonDocument("_id", expected.get("_id"))).first();
                        assertThat(actual).as("target copy of " + expected.get("_id")).isNotNull();
                        assertThat(actual.get("type")).isEqualTo(expected.get("job_type"));
                        assertThat(actual.get("version")).isEqualTo(expected.get("version"));
                    }
                }
            }
        }
    }

    private static long medianMillis(StatusSources status) {
        long[] millis = new long[5];
        for (int i = 0; i < millis.length; i++) {
            long start = System.nanoTime();
            status.collector().measure();
            millis[i] = (System.nanoTime() - start) / 1_000_000;
        }
        java.util.Arrays.sort(millis);
        return millis[2];
    }

    private static BsonDocument job(int id, int version) {
        return new BsonDocument("_id", new BsonInt32(id)).append("job_type", new BsonString("t" + id % 7))
                .append("version", new BsonInt32(version));
    }

    private static String figures(StatusReport r) {
        return String.format("lag %.1f s, %,d changes; stages %s", r.lag().seconds(), r.lag().changes(),
                r.stages().stream().map(s -> s.stage() + " " + s.changes() + "/" + s.seconds() + "s").toList());
    }

    /** Measures until {@code condition} holds (the pipeline gets there on its own), failing after {@link #TIMEOUT}. */
    private static StatusReport awaitReport(StatusSources status, java.util.function.Predicate<StatusReport> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            StatusReport report = status.collector().measure();
            if (condition.test(report)) {
                return report;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out; last status:\n" + io.changeover.control.status.StatusText.render(report));
            }
            Thread.sleep(200);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}
