package io.changeover.capture;

import static io.changeover.capture.ChangeStreamCaptureIT.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoDatabase;

import io.changeover.transform.spec.MigrationSpec;

/**
 * A captured collection dropped or renamed stops the capture with a message saying what happened and what it means;
 * before, Debezium's stream filtered these events out and the capture went on silently while the target drifted.
 */
class SourceCollectionGuardIT {
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
    void renamingACapturedCollectionStopsTheCaptureNamingTheNewName() throws Exception {
        String db = database();
        MongoDatabase source = seeded(db);
        try (ChangeStreamCapture capture = streaming(db)) {
            source.getCollection("other").renameCollection(new MongoNamespace(db, "other_renamed"));
            source.getCollection("jobs").renameCollection(new MongoNamespace(db, "jobs_old"));

            awaitCondition(() -> capture.phase() == CapturePhase.FAILED, "the capture to stop");

            assertThat(capture.failure()).get().extracting(Throwable::getMessage).asString()
                    .contains("'" + db + ".jobs' was renamed to '" + db + ".jobs_old'")
                    .doesNotContain("other");
            assertThat(capture.termination()).isCompletedExceptionally();
        }
    }

    @Test
    void droppingACapturedCollectionStopsTheCaptureSayingTheTargetStillHoldsItsDocuments() throws Exception {
        String db = database();
        MongoDatabase source = seeded(db);
        try (ChangeStreamCapture capture = streaming(db)) {
            source.getCollection("jobs").drop();

            awaitCondition(() -> capture.phase() == CapturePhase.FAILED, "the capture to stop");

            assertThat(capture.failure()).get().extracting(Throwable::getMessage).asString()
                    .contains("'" + db + ".jobs' was dropped", "target still holds them");
        }
    }

    private static MongoDatabase seeded(String db) {
        MongoDatabase source = servers.client().getDatabase(db);
        source.getCollection("jobs").insertOne(new Document("_id", 1));
        source.getCollection("other").insertOne(new Document("_id", 1));
        return source;
    }

    private static ChangeStreamCapture streaming(String db) throws InterruptedException {
        MigrationSpec spec = TestSpecs.spec("gd" + db.substring(6), servers.mongo().uri(), db,
                servers.kafka().bootstrapServers(), Map.of("heartbeat.interval.ms", 200), "jobs");
        ChangeStreamCapture capture = new ChangeStreamCapture(spec, CaptureConfig.from(spec));
        capture.start();
        awaitCondition(() -> capture.phase() == CapturePhase.STREAMING, "phase STREAMING");
        return capture;
    }

    private static String database() {
        return "guard_" + UUID.randomUUID().toString().substring(0, 8);
    }
}
