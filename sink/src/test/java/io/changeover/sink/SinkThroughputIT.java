package io.changeover.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.client.MongoClient;

import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.transform.spec.CollectionSpec;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.topics.Topics;
import io.changeover.embedded.mongo.MongoUnderTest;
import com.mongodb.client.MongoClients;

/**
 * A benchmark more than a test: writes a backlog of 1.5 KB documents to an output topic, runs the sink over it and
 * logs documents per second. Asserts only that every document arrived.
 */
class SinkThroughputIT {
    private static final Logger LOG = LoggerFactory.getLogger(SinkThroughputIT.class);
    private static final int DOCUMENTS = Integer.getInteger("sink.benchmark.documents", 50_000);

    @Test
    void writesABacklogAndReportsTheRate() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); MongoUnderTest mongo = MongoUnderTest.start();
             MongoClient client = MongoClients.create(mongo.uri());
             OutputTopicWriter writer = new OutputTopicWriter(kafka.bootstrapServers())) {
            MigrationSpec spec = new MigrationSpec("bench", new MigrationSpec.Endpoint(mongo.uri(), "legacy"),
                    new MigrationSpec.Endpoint(mongo.uri(), "bench_target"),
                    Map.of("bootstrap.servers", kafka.bootstrapServers()), Map.of(), Map.of(),
                    Map.of("position.guard", "read-check"), // the in-JVM server scans for conditional filters
                    List.of(new CollectionSpec("jobs", "jobs", List.of())), "checksum", "SinkThroughputIT");
            String topic = Topics.of("bench").output("jobs");
            try (SinkRunner ignored = SinkRunner.start(spec)) {
                // creates the topic; closed at once so the backlog is read in one go below
            }
            byte[] payload = new byte[1400];
            for (int id = 0; id < DOCUMENTS; id++) {
                writer.upsert(topic, new BsonDocument("_id", new BsonInt32(id)).append("status",
                        new BsonString("completed")).append("payload", new BsonBinary(payload)));
            }
            writer.flush();

            long start = System.nanoTime();
            try (SinkRunner sink = SinkRunner.start(spec)) {
                long deadline = start + Duration.ofMinutes(5).toNanos();
                while (sink.status().recordsRead() < DOCUMENTS && sink.failure().isEmpty()
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                LOG.info("sink wrote {} documents in {} s: {} docs/s ({} batches)", sink.status().documentsWritten(),
                        String.format("%.2f", seconds), Math.round(sink.status().documentsWritten() / seconds),
                        sink.status().batches());
                assertThat(sink.failure()).isEmpty();
            }
            assertThat(client.getDatabase("bench_target").getCollection("jobs").countDocuments()).isEqualTo(DOCUMENTS);
        }
    }
}
