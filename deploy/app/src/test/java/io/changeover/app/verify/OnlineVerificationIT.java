package io.changeover.app.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import io.changeover.demo.DemoSpec;
import io.changeover.control.lag.CapturePosition;
import io.changeover.control.lag.LagMonitor;
import io.changeover.control.lag.SourceClock;
import io.changeover.control.pipeline.Pipeline;
import io.changeover.control.pipeline.SpecVerification;
import io.changeover.demo.sample.LiveWriter;
import io.changeover.demo.sample.SampleDataset;
import io.changeover.capture.CapturePhase;
import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.embedded.mongo.EmbeddedMongo;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.verify.CollectionReport;
import io.changeover.verify.Difference;
import io.changeover.verify.VerifyOptions;

/**
 * The verifier on the real pipeline: while a live writer keeps changing the source, an online verification (with
 * rechecks after the pipeline's lag) reports zero; once the pipeline is stopped, each fault injected into the target
 * is found and named.
 */
class OnlineVerificationIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    Path work;

    @Test
    void anOnlineRunWithALiveWriterReportsZeroAndInjectedFaultsAreFound() throws Exception {
        try (EmbeddedMongo sourceServer = EmbeddedMongo.start(); EmbeddedMongo targetServer = EmbeddedMongo.start();
             EmbeddedKafka kafka = EmbeddedKafka.start();
             MongoClient source = MongoClients.create(sourceServer.connectionString());
             MongoClient target = MongoClients.create(targetServer.connectionString())) {
            MigrationSpec spec = DemoSpec.load(sourceServer.connectionString(), targetServer.connectionString(),
                    kafka.bootstrapServers(), work);
            MongoCollection<BsonDocument> jobs = source.getDatabase(spec.source().database())
                    .getCollection(SampleDataset.COLLECTION, BsonDocument.class);
            SampleDataset dataset = new SampleDataset(11, 1_500);
            dataset.loadInto(source.getDatabase(spec.source().database()));
            VerifyOptions online = SpecVerification.options(spec).withRecheck(Duration.ofSeconds(30), 8)
                    .withStorage(SpecVerification.options(spec).metadataCollection(), work.resolve("verify"), 200,
                            1 << 20);

            try (Pipeline pipeline = Pipeline.start(spec); Admin admin = Admin.create(Map.copyOf(spec.kafka()))) {
                await("snapshot done", pipeline, () -> pipeline.captureStatus().phase() == CapturePhase.STREAMING);
                try (LiveWriter writer = new LiveWriter(source.getDatabase(spec.source().database()), dataset, 50, 5).start()) {
                    long before = writer.counts().total();
                    await("writer changing the source", pipeline, () -> writer.counts().total() > before + 50);

                    List<CollectionReport> whileWriting = SpecVerification.run(spec, source, target, online);

                    assertThat(writer.failure()).isEmpty();
                    assertThat(writer.counts().total()).isGreaterThan(before + 50);
                    assertThat(whileWriting.get(0).samples()).as("dead letters: " + deadLetters(spec, kafka)).isEmpty();
                    assertThat(whileWriting.get(0).mismatches()).isZero();
                    assertThat(whileWriting.get(0).expectedCount()).isPositive();
                }
                try (LagMonitor lag = new LagMonitor(spec, admin, SourceClock.of(source),
                        CapturePosition.of(spec, pipeline.capture()))) {
                    await("zero lag", pipeline, () -> lag.measure().zero());
                }
            }

            MongoCollection<BsonDocument> targetJobs = target.getDatabase(spec.target().database())
                    .getCollection("jobs", BsonDocument.class);
            List<BsonDocument> three = targetJobs.find().limit(3).into(new java.util.ArrayList<>());
            // the deleted job may be a parent: each job naming it in pid then holds a dangling reference
            List<org.assertj.core.groups.Tuple> expectedFaults = new java.util.ArrayList<>();
            targetJobs.find(Filters.eq("pid", three.get(0).get("_id"))).forEach(referrer -> expectedFaults.add(
                    org.assertj.core.groups.Tuple.tuple(Difference.Kind.DANGLING, referrer.get("_id"))));
            targetJobs.deleteOne(Filters.eq("_id", three.get(0).get("_id")));
            targetJobs.updateOne(Filters.eq("_id", three.get(1).get("_id")), Updates.set("type", "changed"));
            targetJobs.insertOne(new BsonDocument("_id", new org.bson.BsonString("not-in-source")));

            CollectionReport faults = SpecVerification.run(spec, source, target, false).get(0);

            assertThat(faults.missing()).as(faults.samples().toString()).isEqualTo(1);
            assertThat(faults.different()).isEqualTo(1);
            assertThat(faults.extra()).as(faults + " " + faults.samples()).isEqualTo(1);
            assertThat(faults.dangling()).isEqualTo(expectedFaults.size());
            expectedFaults.add(org.assertj.core.groups.Tuple.tuple(Difference.Kind.MISSING, three.get(0).get("_id")));
            expectedFaults.add(org.assertj.core.groups.Tuple.tuple(Difference.Kind.DIFFERENT, three.get(1).get("_id")));
            expectedFaults.add(org.assertj.core.groups.Tuple.tuple(Difference.Kind.EXTRA,
                    new org.bson.BsonString("not-in-source")));
            assertThat(faults.samples()).extracting(Difference::kind, Difference::id)
                    .containsExactlyInAnyOrderElementsOf(expectedFaults);
        }
    }

    /** The dead letters' stage, key and reason, for a failure message. */
    private static List<String> deadLetters(MigrationSpec spec, EmbeddedKafka kafka) {
        Map<String, Object> props = new java.util.HashMap<>();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        props.put("group.id", "dlq-reader");
        props.put("auto.offset.reset", "earliest");
        props.put("key.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class);
        props.put("value.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class);
        List<String> letters = new java.util.ArrayList<>();
        try (org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> consumer =
                     new org.apache.kafka.clients.consumer.KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(io.changeover.transform.topics.Topics.of(spec.name()).deadLetter()));
            for (int i = 0; i < 10; i++) {
                consumer.poll(Duration.ofMillis(300)).forEach(r -> letters.add(
                        io.changeover.transform.format.DeadLetters.get(r.headers(), io.changeover.transform.format.DeadLetters.STAGE)
                        + " " + (r.key() == null ? "" : new String(r.key())) + " "
                        + io.changeover.transform.format.DeadLetters.get(r.headers(), io.changeover.transform.format.DeadLetters.REASON)));
            }
        }
        return letters;
    }

    private static void await(String what, Pipeline pipeline, BooleanSupplier condition) throws InterruptedException {
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
