package io.changeover.capture;

import static io.changeover.capture.ChangeStreamCaptureIT.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import io.changeover.transform.format.DeadLetters;
import io.changeover.transform.format.RawRecords;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.topics.Topics;

/**
 * Documents up to MongoDB's 16 MiB migrate and never stop the capture. An update of a large field of a large document
 * makes a change event (the change plus the looked-up document) over 16 MiB, which the server refuses: before the
 * large-document stages, the capture failed there and captured nothing after it.
 */
class LargeDocumentCaptureIT {
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final int MIB = 1024 * 1024;
    private static CaptureServers servers;

    @BeforeAll
    static void startServers() {
        servers = CaptureServers.start();
    }

    @AfterAll
    static void stopServers() {
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    void aChangeOfADocumentNear16MiBCarriesTheWholeDocumentAndCaptureGoesOn() throws Exception {
        Fixture f = fixture(Map.of());
        try (ChangeStreamCapture capture = f.start();
             RawTopicReader raw = new RawTopicReader(servers.kafka().bootstrapServers(), f.rawTopic())) {
            f.jobs.updateOne(Filters.eq("_id", 1), Updates.set("blob", "b".repeat(9 * MIB)));
            f.jobs.insertOne(new BsonDocument("_id", new BsonInt32(2)).append("small", new BsonString("after")));

            List<RawEvent> events = raw.readEventsUntil(es -> es.size() >= 3, DEADLINE,
                    "the snapshot read, the large update and the insert after it");

            BsonDocument stored = f.jobs.find(Filters.eq("_id", 1)).first();
            assertThat(events.get(1).op()).isEqualTo("u");
            assertThat(events.get(1).after()).isEqualTo(stored);
            assertThat(events.get(2).after().getString("small").getValue()).isEqualTo("after");
            assertThat(capture.failure()).isEmpty();
        }
    }

    @Test
    void underTheDeadLetterPolicyTheChangeIsDeadLetteredWithItsIdAndSizeAndCaptureGoesOn() throws Exception {
        Fixture f = fixture(Map.of("large.document.policy", "dead-letter"));
        try (ChangeStreamCapture capture = f.start();
             RawTopicReader raw = new RawTopicReader(servers.kafka().bootstrapServers(), f.rawTopic());
             RawTopicReader deadLetters = new RawTopicReader(servers.kafka().bootstrapServers(), f.topics.deadLetter())) {
            f.jobs.updateOne(Filters.eq("_id", 1), Updates.set("blob", "b".repeat(9 * MIB)));
            f.jobs.insertOne(new BsonDocument("_id", new BsonInt32(2)).append("small", new BsonString("after")));

            List<RawEvent> events = raw.readEventsUntil(es -> es.size() >= 2, DEADLINE, "the snapshot read and the insert");
            List<ConsumerRecord<byte[], byte[]>> refused = deadLetters.readUntil(rs -> !rs.isEmpty(), DEADLINE,
                    "the large document's dead letter");

            assertThat(events).extracting(RawEvent::op).containsExactly("r", "c");
            assertThat(RawRecords.id(refused.get(0).key())).isEqualTo(new BsonInt32(1));
            assertThat(DeadLetters.get(refused.get(0).headers(), DeadLetters.REASON))
                    .contains("over large.document.bytes").containsPattern("is 1[56]\\d{6} bytes");
            assertThat(capture.failure()).isEmpty();
        }
    }

    private Fixture fixture(Map<String, Object> settings) throws Exception {
        String db = "large_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<BsonDocument> jobs = servers.client().getDatabase(db).getCollection("jobs", BsonDocument.class);
        jobs.insertOne(new BsonDocument("_id", new BsonInt32(1)).append("blob", new BsonString("a".repeat(9 * MIB)))
                .append("rest", new BsonString("c".repeat(6 * MIB))));
        Map<String, Object> capture = new java.util.HashMap<>(settings);
        capture.put("heartbeat.interval.ms", 200);
        MigrationSpec spec = TestSpecs.spec("lg" + db.substring(6), servers.mongo().uri(), db,
                servers.kafka().bootstrapServers(), capture, "jobs");
        return new Fixture(spec, jobs, db);
    }

    private static final class Fixture {
        final MigrationSpec spec;
        final MongoCollection<BsonDocument> jobs;
        final String db;
        final Topics topics;

        Fixture(MigrationSpec spec, MongoCollection<BsonDocument> jobs, String db) {
            this.spec = spec;
            this.jobs = jobs;
            this.db = db;
            this.topics = Topics.of(spec.name());
        }

        String rawTopic() {
            return topics.raw(db, "jobs");
        }

        ChangeStreamCapture start() throws InterruptedException {
            ChangeStreamCapture capture = new ChangeStreamCapture(spec, CaptureConfig.from(spec));
            capture.start();
            awaitCondition(() -> capture.phase() == CapturePhase.STREAMING, "phase STREAMING");
            return capture;
        }
    }
}
