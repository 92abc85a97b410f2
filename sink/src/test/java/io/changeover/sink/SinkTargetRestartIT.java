package io.changeover.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.embedded.mongo.EmbeddedMongo;
import io.changeover.transform.spec.CollectionSpec;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.topics.Topics;

/**
 * The target stopped and restarted while the sink is loading: the sink waits (retriable errors, backoff), loses
 * nothing and ends with the same target as an undisturbed run of the same records.
 */
class SinkTargetRestartIT {
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final int DOCUMENTS = 3000;
    private static EmbeddedKafka kafka;

    @TempDir
    Path data;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void aTargetStoppedAndRestartedMidLoadEndsLikeAnUndisturbedRun() throws Exception {
        int port = freePort();
        EmbeddedMongo mongo = start(port);
        try {
            for (String name : List.of("disturbed", "undisturbed")) {
                MigrationSpec spec = spec(name, mongo.connectionString());
                OutputTopics.ensure(spec.kafka(), SinkConfig.from(spec), Set.of(Topics.of(name).output("jobs")));
            }
            writeRecords("disturbed", 0);
            writeRecords("undisturbed", 0);
            writeRecords("undisturbed", 1);
            // a direct connection: the restarted in-JVM member reports a new election id lower than the one before,
            // which a replica-set client refuses as a stale primary (a real replica set's election ids only grow)
            String uri = "mongodb://localhost:" + port + "/?directConnection=true&serverSelectionTimeoutMS=1000"
                    + "&connectTimeoutMS=1000";
            try (SinkRunner sink = SinkRunner.start(spec("disturbed", uri))) {
                await(() -> sink.status().documentsWritten() > 0, "the load to begin");
                mongo.close();
                writeRecords("disturbed", 1); // arrives while the target is gone: the sink must wait and retry
                Thread.sleep(2_000);
                assertThat(sink.isRunning()).as("sink still waiting for the target").isTrue();
                assertThat(sink.status().recordsRead()).isLessThan(2L * DOCUMENTS);
                mongo = start(port);
                await(() -> sink.status().recordsRead() >= 2L * DOCUMENTS || sink.failure().isPresent(),
                        "the sink to read every record");
                assertThat(sink.failure()).isEmpty();
            }
            try (SinkRunner sink = SinkRunner.start(spec("undisturbed", uri))) {
                await(() -> sink.status().recordsRead() >= 2L * DOCUMENTS, "the undisturbed run");
            }
            try (MongoClient client = MongoClients.create(mongo.connectionString())) {
                assertThat(documents(client.getDatabase("disturbed")))
                        .isEqualTo(documents(client.getDatabase("undisturbed")))
                        .hasSize(DOCUMENTS);
            }
        } finally {
            mongo.close();
        }
    }

    private EmbeddedMongo start(int port) throws IOException {
        Files.createDirectories(data);
        return EmbeddedMongo.builder().port(port).dataDirectory(data).start();
    }

    /** Writes one round of records; positions grow with the round, as they do in a source. */
    private static void writeRecords(String name, int round) {
        try (OutputTopicWriter writer = new OutputTopicWriter(kafka.bootstrapServers(), round * DOCUMENTS)) {
            String topic = Topics.of(name).output("jobs");
            for (int id = 0; id < DOCUMENTS; id++) {
                writer.upsert(topic, new BsonDocument("_id", new BsonInt32(id))
                        .append("state", new BsonString("round " + round)));
            }
            writer.flush();
        }
    }

    private static MigrationSpec spec(String name, String uri) {
        return new MigrationSpec(name, new MigrationSpec.Endpoint(uri, "legacy"), new MigrationSpec.Endpoint(uri, name),
                Map.of("bootstrap.servers", kafka.bootstrapServers()), Map.of(), Map.of(),
                Map.of("batch.max.records", 100, "max.poll.records", 200, "retry.backoff.initial.ms", 50,
                        "retry.backoff.max.ms", 500),
                List.of(new CollectionSpec("jobs", "jobs", List.of())), "checksum", "SinkTargetRestartIT");
    }

    private static List<BsonDocument> documents(MongoDatabase database) {
        return database.getCollection("jobs", BsonDocument.class).find()
                .sort(new BsonDocument("_id", new BsonInt32(1))).into(new ArrayList<>());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
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
