package io.changeover.capture;

import static io.changeover.capture.ChangeStreamCaptureIT.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.topics.Topics;
import io.changeover.embedded.mongo.MongoUnderTest;

/**
 * A capture stopped while a service keeps writing, then a new capture instance (same spec and Kafka, nothing on the
 * local disk) started later: every change is in the raw topics and nothing is snapshotted twice.
 */
class CaptureRestartIT {
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final List<String> COLLECTIONS = List.of("orders", "customers");
    private static final int INITIAL_DOCS = 300;
    private static final int OPS_PER_STAGE = 300;

    private static CaptureServers servers;
    private static EmbeddedKafka kafka;
    private static MongoUnderTest mongo;
    private static MongoClient client;

    @BeforeAll
    static void startServers() {
        servers = CaptureServers.start();
        kafka = servers.kafka();
        mongo = servers.mongo();
        client = servers.client();
    }

    @AfterAll
    static void stopServers() {
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    void aNewCaptureResumesFromKafkaOffsetsWithoutLosingChangesOrSnapshottingAgain() throws Exception {
        String db = "restart_" + UUID.randomUUID().toString().substring(0, 8);
        MigrationSpec spec = TestSpecs.spec("rs" + db.substring(8), mongo.uri(), db, kafka.bootstrapServers(),
                Map.of("heartbeat.interval.ms", 200), COLLECTIONS.toArray(String[]::new));
        Topics topics = Topics.of(spec.name());
        Writer writer = new Writer(client, db);
        writer.seed(INITIAL_DOCS);

        ChangeStreamCapture first = new ChangeStreamCapture(spec, CaptureConfig.from(spec));
        Thread writing;
        try {
            first.start();
            awaitCondition(() -> first.phase() == CapturePhase.STREAMING, "the first capture to finish its snapshot");
            writing = writer.startWriting();
            long streamedBefore = first.eventsCaptured();
            awaitCondition(() -> writer.ops.get() >= OPS_PER_STAGE && first.eventsCaptured() > streamedBefore + 50,
                    "the first capture to stream changes");
        } finally {
            first.close();
        }
        assertThat(first.failure()).isEmpty();
        long opsAtStop = writer.ops.get();
        awaitCondition(() -> writer.ops.get() >= opsAtStop + OPS_PER_STAGE, "writes while no capture runs");
        Map<TopicPartition, Long> endBeforeRestart = endOffsets(topics, db);

        try (ChangeStreamCapture second = new ChangeStreamCapture(spec, CaptureConfig.from(spec))) {
            second.start();
            long opsAtRestart = writer.ops.get();
            awaitCondition(() -> writer.ops.get() >= opsAtRestart + OPS_PER_STAGE, "writes after the restart");
            writer.stop(writing);

            for (String coll : COLLECTIONS) {
                Map<BsonValue, BsonDocument> source = writer.finalState(coll);
                Set<BsonValue> deleted = writer.deleted(coll);
                try (RawTopicReader raw = new RawTopicReader(kafka.bootstrapServers(), topics.raw(db, coll))) {
                    List<RawEvent> events = raw.readEventsUntil(es -> converged(es, source, deleted), DEADLINE,
                            "the raw topic of " + coll + " to hold every change (" + source.size() + " live, "
                                    + deleted.size() + " deleted)");
                    assertThat(events.stream().filter(e -> e.offset() >= endBeforeRestart.get(
                            new TopicPartition(topics.raw(db, coll), e.partition()))))
                            .as("records written by the second capture")
                            .isNotEmpty()
                            .noneMatch(e -> e.op().equals("r"));
                }
            }
            assertThat(second.status().collections()).allSatisfy(p -> assertThat(p.snapshotRecords()).isZero());
            assertThat(second.failure()).isEmpty();
        } finally {
            writer.stop(null);
        }
    }

    /** The latest event per id equals the source's final state; deleted ids end with a delete; no other ids. */
    private static boolean converged(List<RawEvent> events, Map<BsonValue, BsonDocument> source, Set<BsonValue> deleted) {
        Map<BsonValue, RawEvent> latest = new HashMap<>();
        events.forEach(e -> latest.put(e.id(), e));
        if (!latest.keySet().equals(union(source.keySet(), deleted))) {
            return false;
        }
        for (Map.Entry<BsonValue, RawEvent> e : latest.entrySet()) {
            BsonDocument expected = source.get(e.getKey());
            boolean ok = expected == null ? e.getValue().op().equals("d") : expected.equals(e.getValue().after());
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static Set<BsonValue> union(Set<BsonValue> a, Set<BsonValue> b) {
        Set<BsonValue> u = new HashSet<>(a);
        u.addAll(b);
        return u;
    }

    private static Map<TopicPartition, Long> endOffsets(Topics topics, String db) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String coll : COLLECTIONS) {
                String topic = topics.raw(db, coll);
                c.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            return c.endOffsets(partitions);
        }
    }

    /** A service writing to the source: inserts, updates, replaces and deletes on int ids. */
    private static final class Writer {
        final AtomicLong ops = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicReference<Throwable> error = new AtomicReference<>();
        private final Map<String, MongoCollection<BsonDocument>> collections = new HashMap<>();
        private final Map<String, List<Integer>> live = new ConcurrentHashMap<>();
        private final Map<String, Set<BsonValue>> deleted = new ConcurrentHashMap<>();
        private final Random random = new Random(42);
        private int nextId;

        Writer(MongoClient client, String db) {
            for (String c : COLLECTIONS) {
                collections.put(c, client.getDatabase(db).getCollection(c, BsonDocument.class));
                live.put(c, new ArrayList<>());
                deleted.put(c, ConcurrentHashMap.newKeySet());
            }
        }

        void seed(int n) {
            for (String c : COLLECTIONS) {
                List<BsonDocument> docs = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    docs.add(document(nextId, 0));
                    live.get(c).add(nextId++);
                }
                collections.get(c).insertMany(docs);
            }
        }

        Thread startWriting() {
            Thread t = new Thread(() -> {
                try {
                    while (running.get()) {
                        writeOne(COLLECTIONS.get(random.nextInt(COLLECTIONS.size())));
                        ops.incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    error.set(e);
                }
            }, "test-writer");
            t.start();
            return t;
        }

        void stop(Thread t) throws InterruptedException {
            running.set(false);
            if (t != null) {
                t.join(30_000);
                assertThat(error.get()).as("writer error").isNull();
            }
        }

        private void writeOne(String c) {
            MongoCollection<BsonDocument> coll = collections.get(c);
            List<Integer> ids = live.get(c);
            int dice = random.nextInt(100);
            if (dice < 30 || ids.size() < 10) {
                coll.insertOne(document(nextId, 0));
                ids.add(nextId++);
                return;
            }
            int id = ids.get(random.nextInt(ids.size()));
            if (dice < 70) {
                coll.updateOne(Filters.eq("_id", id), Updates.combine(Updates.inc("version", 1L),
                        Updates.set("status", "s" + random.nextInt(5))));
            } else if (dice < 85) {
                coll.replaceOne(Filters.eq("_id", id), document(id, random.nextInt(1000)));
            } else {
                coll.deleteOne(Filters.eq("_id", id));
                ids.remove(Integer.valueOf(id));
                deleted.get(c).add(new BsonInt32(id));
            }
        }

        Map<BsonValue, BsonDocument> finalState(String c) {
            Map<BsonValue, BsonDocument> state = new HashMap<>();
            collections.get(c).find().forEach(d -> state.put(d.get("_id"), d));
            return state;
        }

        Set<BsonValue> deleted(String c) {
            Set<BsonValue> gone = new HashSet<>(deleted.get(c));
            gone.removeAll(finalState(c).keySet());
            return gone;
        }

        private static BsonDocument document(int id, int variant) {
            return new BsonDocument("_id", new BsonInt32(id))
                    .append("version", new BsonInt64(0))
                    .append("variant", new BsonInt32(variant))
                    .append("status", new BsonString("new"));
        }
    }
}
