package io.changeover.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.bson.BsonBinary;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonArray;
import org.bson.BsonNull;
import org.bson.BsonValue;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.topics.Topics;
import io.changeover.embedded.mongo.MongoUnderTest;

/** Snapshot, then streamed changes, then heartbeats, against a real broker and a replica-set member. */
class ChangeStreamCaptureIT {
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    /** Sizes can be raised to measure throughput: {@code -Dcapture.it.snapshotDocs=50000 -Dcapture.it.burstDocs=50000}. */
    private static final int SNAPSHOT_DOCS = Integer.getInteger("capture.it.snapshotDocs", 2000);
    private static final int BURST_DOCS = Integer.getInteger("capture.it.burstDocs", 5000);

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
    void snapshotThenStreamedChangesReachTheRawTopicWithTheSourceDocuments() throws Exception {
        String db = "legacy_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<BsonDocument> jobs = client.getDatabase(db).getCollection("jobs", BsonDocument.class);
        List<BsonDocument> initial = new ArrayList<>();
        for (int i = 0; i < SNAPSHOT_DOCS; i++) {
            initial.add(typedDocument(i));
        }
        jobs.insertMany(initial);
        MigrationSpec spec = TestSpecs.spec("cs" + db.substring(7), mongo.uri(), db, kafka.bootstrapServers(),
                Map.of("heartbeat.interval.ms", 200), "jobs");
        Topics topics = Topics.of(spec.name());

        try (ChangeStreamCapture capture = new ChangeStreamCapture(spec, CaptureConfig.from(spec))) {
            Instant started = Instant.now();
            capture.start();
            try (RawTopicReader raw = new RawTopicReader(kafka.bootstrapServers(), topics.raw(db, "jobs"))) {
                List<RawEvent> snapshot = raw.readEventsUntil(es -> es.size() >= SNAPSHOT_DOCS, DEADLINE,
                        SNAPSHOT_DOCS + " snapshot records");
                Duration snapshotTook = Duration.between(started, Instant.now());
                System.out.printf("snapshot: %d records in %d ms (%.0f records/s, including engine start)%n",
                        SNAPSHOT_DOCS, snapshotTook.toMillis(), SNAPSHOT_DOCS * 1000.0 / snapshotTook.toMillis());

                assertThat(snapshot).extracting(RawEvent::op).containsOnly("r");
                assertThat(snapshot).extracting(RawEvent::after).containsExactlyInAnyOrderElementsOf(initial);
                awaitCondition(() -> capture.phase() == CapturePhase.STREAMING, "phase STREAMING after the snapshot");
                CollectionProgress progress = capture.status().collections().get(0);
                assertThat(progress.estimatedCount()).isEqualTo(SNAPSHOT_DOCS);
                assertThat(progress.snapshotRecords()).isEqualTo(SNAPSHOT_DOCS);

                BsonDocument inserted = typedDocument(SNAPSHOT_DOCS);
                jobs.insertOne(inserted);
                jobs.updateOne(Filters.eq("_id", initial.get(1).get("_id")),
                        Updates.combine(Updates.set("status", "done"), Updates.inc("attempts", 1L),
                                Updates.unset("note")));
                BsonDocument replacement = new BsonDocument("_id", initial.get(2).get("_id"))
                        .append("replaced", new BsonInt32(1)).append("at", new BsonDateTime(1_700_000_000_000L));
                jobs.replaceOne(Filters.eq("_id", replacement.get("_id")), replacement);
                jobs.deleteOne(Filters.eq("_id", initial.get(3).get("_id")));

                List<RawEvent> all = raw.readEventsUntil(es -> es.size() >= SNAPSHOT_DOCS + 4, DEADLINE,
                        "4 streamed changes");
                List<RawEvent> streamed = all.subList(SNAPSHOT_DOCS, all.size());
                assertThat(streamed).extracting(RawEvent::op).containsExactlyInAnyOrder("c", "u", "u", "d");
                assertThat(latest(streamed, inserted.get("_id")).after()).isEqualTo(inserted);
                assertThat(latest(streamed, initial.get(1).get("_id")).after())
                        .isEqualTo(jobs.find(Filters.eq("_id", initial.get(1).get("_id"))).first());
                assertThat(latest(streamed, replacement.get("_id")).after()).isEqualTo(replacement);
                RawEvent delete = latest(streamed, initial.get(3).get("_id"));
                assertThat(delete.op()).isEqualTo("d");
                assertThat(delete.after()).isNull();
                SourcePosition snapshotStart = snapshot.get(0).position();
                assertThat(snapshot).extracting(RawEvent::position).as("every read at the snapshot's start")
                        .containsOnly(snapshotStart);
                assertThat(snapshotStart.seconds()).as("the source's cluster time, not a host clock shifted back")
                        .isGreaterThanOrEqualTo((int) started.minusSeconds(5).getEpochSecond());
                assertThat(streamed).extracting(RawEvent::position).as("streamed changes rank above the snapshot")
                        .allMatch(p -> p.compareTo(snapshotStart) > 0);
                assertThat(capture.eventsCaptured()).isEqualTo(SNAPSHOT_DOCS + 4L);
                assertThat(capture.failure()).isEmpty();
            }
        }
    }

    @Test
    void heartbeatsKeepThePositionMovingWhileCapturedCollectionsAreIdle() throws Exception {
        String db = "idle_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<BsonDocument> jobs = client.getDatabase(db).getCollection("jobs", BsonDocument.class);
        jobs.insertOne(typedDocument(0));
        MigrationSpec spec = TestSpecs.spec("hb" + db.substring(5), mongo.uri(), db, kafka.bootstrapServers(),
                Map.of("heartbeat.interval.ms", 100), "jobs");
        Topics topics = Topics.of(spec.name());

        try (ChangeStreamCapture capture = new ChangeStreamCapture(spec, CaptureConfig.from(spec))) {
            capture.start();
            awaitCondition(() -> capture.phase() == CapturePhase.STREAMING, "phase STREAMING");
            jobs.insertOne(typedDocument(1));
            awaitCondition(() -> capture.eventsCaptured() == 2, "the snapshot read and one insert");
            SourcePosition afterLastEvent = capture.lastPosition();

            // Nothing happens in the captured collection; another application writes elsewhere, so cluster time moves.
            MongoCollection<BsonDocument> other = client.getDatabase(db).getCollection("other", BsonDocument.class);
            long seenBefore = capture.status().heartbeats();
            awaitCondition(() -> {
                other.insertOne(new BsonDocument("x", new BsonInt32(1)));
                return capture.lastPosition().compareTo(afterLastEvent) > 0
                        && capture.status().heartbeats() > seenBefore;
            }, "a heartbeat moving the position past the last captured event");

            assertThat(capture.eventsCaptured()).as("writes to an uncaptured collection are not events").isEqualTo(2);
            try (RawTopicReader heartbeats = new RawTopicReader(kafka.bootstrapServers(), topics.heartbeat())) {
                assertThat(heartbeats.readUntil(rs -> !rs.isEmpty(), DEADLINE, "a heartbeat record")).isNotEmpty();
            }
        }
    }

    @Test
    void ticksFollowStreamedChangesWhileTheSourceNeverGoesIdle() throws Exception {
        String db = "busy_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<BsonDocument> jobs = client.getDatabase(db).getCollection("jobs", BsonDocument.class);
        // heartbeats (which come only while the source is idle) are pushed out of the test: ticks must come anyway
        MigrationSpec spec = TestSpecs.spec("bz" + db.substring(5), mongo.uri(), db, kafka.bootstrapServers(),
                Map.of("snapshot.mode", "no_data", "heartbeat.interval.ms", 3_600_000, "tick.interval.ms", 50), "jobs");

        try (ChangeStreamCapture capture = new ChangeStreamCapture(spec, CaptureConfig.from(spec))) {
            capture.start();
            int[] written = {0};
            awaitCondition(() -> {   // the phase shows streaming from a heartbeat: the first captured insert does here
                jobs.insertOne(typedDocument(written[0]++));
                return capture.eventsCaptured() > 0;
            }, "a first captured insert");
            SourcePosition first = capture.lastPosition();

            awaitCondition(() -> {
                jobs.insertOne(typedDocument(written[0]++)); // the writer never pauses
                return capture.lastTickPosition().compareTo(first) >= 0;
            }, "a tick at or past the first insert while inserts keep coming");

            assertThat(capture.status().heartbeats()).as("ticks came without heartbeats").isZero();
        }
    }

    @Test
    void aBurstOfInsertsIsStreamedCompletely() throws Exception {
        int burst = BURST_DOCS;
        String db = "burst_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<BsonDocument> jobs = client.getDatabase(db).getCollection("jobs", BsonDocument.class);
        MigrationSpec spec = TestSpecs.spec("bu" + db.substring(6), mongo.uri(), db, kafka.bootstrapServers(),
                Map.of("snapshot.mode", "no_data"), "jobs");

        try (ChangeStreamCapture capture = new ChangeStreamCapture(spec, CaptureConfig.from(spec))) {
            capture.start();
            awaitCondition(() -> capture.phase() == CapturePhase.STREAMING, "phase STREAMING");
            List<BsonDocument> docs = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                docs.add(typedDocument(i));
            }
            Instant started = Instant.now();
            for (int i = 0; i < burst; i += 500) {
                jobs.insertMany(docs.subList(i, i + 500));
            }
            List<RawEvent> events;
            try (RawTopicReader raw = new RawTopicReader(kafka.bootstrapServers(),
                    Topics.of(spec.name()).raw(db, "jobs"))) {
                events = raw.readEventsUntil(es -> es.size() >= burst, DEADLINE, burst + " inserts");
            }
            long ms = Math.max(1, Duration.between(started, Instant.now()).toMillis());
            System.out.printf("streaming: %d inserts captured in %d ms (%.0f records/s, writes included)%n",
                    burst, ms, burst * 1000.0 / ms);

            assertThat(events).extracting(RawEvent::op).containsOnly("c");
            assertThat(events).extracting(RawEvent::after).containsExactlyInAnyOrderElementsOf(docs);
        }
    }

    private static RawEvent latest(List<RawEvent> events, BsonValue id) {
        RawEvent found = null;
        for (RawEvent e : events) {
            if (e.id().equals(id)) {
                found = e;
            }
        }
        assertThat(found).as("event for _id " + id).isNotNull();
        return found;
    }

    /** A document with the types a migration must keep apart: int vs long vs double, dates, decimals, binaries. */
    static BsonDocument typedDocument(int i) {
        return new BsonDocument("_id", new BsonObjectId(new ObjectId()))
                .append("seq", new BsonInt32(i))
                .append("big", new BsonInt64(10_000_000_000L + i))
                .append("smallLong", new BsonInt64(i))
                .append("ratio", new BsonDouble(i + 0.5))
                .append("whole", new BsonDouble(2.0))
                .append("price", new BsonDecimal128(Decimal128.parse("12.30")))
                .append("at", new BsonDateTime(1_700_000_000_000L + i))
                .append("blob", new BsonBinary(new byte[] {1, 2, (byte) i}))
                .append("status", new BsonString("new"))
                .append("note", BsonNull.VALUE)
                .append("attempts", new BsonInt64(0))
                .append("tags", new BsonArray(List.of(new BsonString("a"), new BsonInt32(i))))
                .append("owner", new BsonDocument("name", new BsonString("n" + i)).append("level", new BsonInt32(3)));
    }

    static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
        Instant end = Instant.now().plus(DEADLINE);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("gave up after " + DEADLINE + " waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
