package io.changeover.control.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import io.changeover.demo.DemoSpec;
import io.changeover.control.cutover.SinkMarkers;
import io.changeover.control.lag.CapturePosition;
import io.changeover.control.lag.LagMonitor;
import io.changeover.control.lag.SourceClock;
import io.changeover.control.pipeline.Pipeline;
import io.changeover.demo.sample.LiveWriter;
import io.changeover.demo.sample.SampleDataset;
import io.changeover.capture.CapturePhase;
import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.embedded.mongo.EmbeddedMongo;
import io.changeover.transform.spec.MigrationSpec;

/**
 * A replay into a second target, started while the live pipeline runs and the writer writes, follows the live stream:
 * once the writer stops and both have caught up, the replayed target is identical to the live one.
 */
class ReplayIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    Path work;

    @Test
    void replayWhileTheLivePipelineRunsGivesAnIdenticalTarget() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             EmbeddedMongo sourceServer = EmbeddedMongo.start();
             EmbeddedMongo liveServer = EmbeddedMongo.start();
             EmbeddedMongo replayServer = EmbeddedMongo.start();
             MongoClient source = MongoClients.create(sourceServer.connectionString());
             MongoClient live = MongoClients.create(liveServer.connectionString());
             MongoClient replayed = MongoClients.create(replayServer.connectionString())) {
            MigrationSpec spec = DemoSpec.load(sourceServer.connectionString(), liveServer.connectionString(),
                    kafka.bootstrapServers(), work);
            MongoCollection<BsonDocument> jobs = source.getDatabase(spec.source().database())
                    .getCollection(SampleDataset.COLLECTION, BsonDocument.class);
            SampleDataset dataset = new SampleDataset(5, 1_000);
            dataset.loadInto(source.getDatabase(spec.source().database()));
            MigrationSpec replaySpec = ReplaySpec.of(spec, "v2", replayServer.connectionString(), "replayed");

            try (LiveWriter writer = new LiveWriter(source.getDatabase(spec.source().database()), dataset, 150, 5).start();
                 Pipeline pipeline = Pipeline.start(spec);
                 Admin admin = Admin.create(Map.copyOf(spec.kafka()))) {
                await("snapshot done", () -> pipeline.failure().isEmpty() && pipeline.captureStatus().phase() == CapturePhase.STREAMING);
                try (Replay replay = Replay.start(spec, replaySpec, null)) {
                    long atStart = writer.counts().total();
                    await("writer changes while the replay runs", () -> noFailure(pipeline, replay) && writer.counts().total() > atStart + 300);
                    writer.close();
                    assertThat(writer.failure()).isEmpty();

                    try (LagMonitor lag = new LagMonitor(spec, admin, SourceClock.of(source), CapturePosition.of(spec, pipeline.capture()))) {
                        await("live lag zero", () -> noFailure(pipeline, replay) && lag.measure().zero());
                    }
                    await("replay lag zero", () -> noFailure(pipeline, replay) && replay.lag(admin).zero());
                    assertThat(replay.feed().copied()).isPositive();
                }
            }
            Map<BsonValue, BsonDocument> liveJobs = documents(live, spec.target().database());
            assertThat(liveJobs).isNotEmpty();
            assertThat(documents(replayed, "replayed")).isEqualTo(liveJobs);
        }
    }

    private static boolean noFailure(Pipeline pipeline, Replay replay) {
        assertThat(pipeline.failure()).isEmpty();
        assertThat(replay.failure()).isEmpty();
        return true;
    }

    private static Map<BsonValue, BsonDocument> documents(MongoClient client, String database) {
        Map<BsonValue, BsonDocument> docs = new HashMap<>();
        // without the sink's position stamp: the highest position a deduplicated document has seen depends on the
        // order its candidates arrived in from different partitions, which a replay need not repeat
        client.getDatabase(database).getCollection("jobs", BsonDocument.class).find()
                .forEach(d -> docs.put(d.get("_id"), SinkMarkers.unstamped(d)));
        return docs;
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
