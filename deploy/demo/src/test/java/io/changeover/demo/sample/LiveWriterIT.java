package io.changeover.demo.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import io.changeover.embedded.mongo.EmbeddedMongo;
import io.changeover.embedded.mongo.RestartableMongo;

class LiveWriterIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private EmbeddedMongo server;
    private MongoClient client;
    private MongoCollection<BsonDocument> jobs;
    private final SampleDataset dataset = new SampleDataset(7L, 300).largeContentUpTo(0);

    @BeforeEach
    void loadDataset() {
        server = EmbeddedMongo.start();
        // a short server selection timeout: the writer notices a vanished server in 2 s, not 30
        client = MongoClients.create(server.connectionString() + "&serverSelectionTimeoutMS=2000");
        jobs = client.getDatabase("legacy").getCollection(SampleDataset.COLLECTION, BsonDocument.class);
        dataset.loadInto(client.getDatabase("legacy"));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void loadWritesEveryJobOfTheDataset() {
        assertThat(jobs.countDocuments()).isEqualTo(300);
        assertThat(jobs.find(new BsonDocument("_id", new org.bson.BsonObjectId(dataset.id(123)))).first())
                .isEqualTo(dataset.document(123));
    }

    @Test
    void writesEveryKindOfOperationAndKeepsTrackOfWhatExists() throws Exception {
        try (LiveWriter writer = new LiveWriter(client.getDatabase("legacy"), dataset, 1000, 99L).start()) {
            await(() -> writer.counts().deletes() >= 10 && writer.counts().replaces() >= 10
                    || writer.failure().isPresent(), "ten deletes and ten replaces");
            writer.close();

            assertThat(writer.failure()).isEmpty();
            assertThat(writer.isRunning()).isFalse();
            LiveWriterCounts counts = writer.counts();
            assertThat(counts.inserts()).isPositive();
            assertThat(counts.updates()).isPositive();
            assertThat(jobs.countDocuments()).isEqualTo(writer.liveJobs())
                    .isEqualTo(300 + counts.inserts() - counts.deletes());
        }
        assertThat(jobsWhoseStatusChanged()).isPositive();
    }

    @Test
    void aServerThatGoesAwayStopsTheWriterWithTheFailureKept() throws Exception {
        try (LiveWriter writer = new LiveWriter(client.getDatabase("legacy"), dataset, 200, 1L).start()) {
            await(() -> writer.counts().total() > 5, "a few writes");
            server.close();

            assertThat(writer.awaitStop(DEADLINE)).isTrue();
            assertThat(writer.failure()).isPresent();
        }
    }

    @Test
    void aWriterThatOutlastsOutagesWritesThroughARestartOfItsServer(@TempDir Path data) throws Exception {
        try (RestartableMongo restartable = new RestartableMongo(data);
             MongoClient restarted = MongoClients.create(restartable.connectionString() + "&serverSelectionTimeoutMS=2000")) {
            MongoCollection<BsonDocument> restartedJobs = restarted.getDatabase("legacy")
                    .getCollection(SampleDataset.COLLECTION, BsonDocument.class);
            dataset.loadInto(restarted.getDatabase("legacy"));
            try (LiveWriter writer = new LiveWriter(restarted.getDatabase("legacy"), dataset, 200, 3L)
                    .outlasting(Duration.ofSeconds(60)).start()) {
                await(() -> writer.counts().total() > 20, "a few writes");
                restartable.stop();
                Thread.sleep(5_000);   // down longer than the client's 2 s server selection timeout
                restartable.start();
                long afterRestart = writer.counts().total();
                await(() -> writer.counts().total() > afterRestart + 50 || !writer.isRunning(), "writes after the restart");
                writer.close();

                assertThat(writer.failure()).isEmpty();
                assertThat(restartedJobs.countDocuments()).as("every insert and delete applied exactly once")
                        .isEqualTo(writer.liveJobs());
            }
        }
    }

    private long jobsWhoseStatusChanged() {
        long changed = 0;
        for (int i = 0; i < dataset.size(); i++) {
            BsonDocument now = jobs.find(new BsonDocument("_id", new org.bson.BsonObjectId(dataset.id(i)))).first();
            changed += now != null && !now.get("status").equals(dataset.document(i).get("status")) ? 1 : 0;
        }
        return changed;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up after " + DEADLINE + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
