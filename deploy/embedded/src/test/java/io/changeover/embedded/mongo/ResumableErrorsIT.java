package io.changeover.embedded.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.changestream.ChangeStreamDocument;

/**
 * The server says it is MongoDB 5.0 in every reply that tells (wire version 13, as {@code buildInfo}'s 5.0), and so
 * labels the errors MongoDB labels: the driver resumes a change stream after a resumable error exactly as against a
 * real 5.0 replica set, and gives up after any other. Errors are injected with MongoDB's own fail point, as the
 * drivers' change-stream specification tests do.
 */
class ResumableErrorsIT {

    @RegisterExtension
    static final SharedMongo SERVER = new SharedMongo();

    @AfterEach
    void failPointOff() {
        admin().runCommand(new Document("configureFailPoint", FailPoints.FAIL_GET_MORE).append("mode", "off"));
    }

    @Test
    void wireVersionIsMongoDb50sAsBuildInfoSays() {
        Document hello = admin().runCommand(new Document("hello", 1));
        Document buildInfo = admin().runCommand(new Document("buildInfo", 1));

        assertTrue(buildInfo.getString("version").startsWith("5.0."), buildInfo.toJson());
        assertEquals(13, hello.getInteger("maxWireVersion"), "MongoDB 5.0's wire version");
    }

    @Test
    void aResumableGetMoreErrorCarriesTheLabel() {
        MongoDatabase db = SERVER.client().getDatabase("resume");
        db.getCollection("raw").insertOne(new Document("_id", 0));
        Document opened = db.runCommand(new Document("aggregate", "raw")
            .append("pipeline", List.of(new Document("$changeStream", new Document())))
            .append("cursor", new Document()));
        long cursorId = opened.get("cursor", Document.class).getLong("id");
        failGetMores(1, 91);   // ShutdownInProgress

        MongoCommandException failed = assertThrows(MongoCommandException.class,
            () -> db.runCommand(new Document("getMore", cursorId).append("collection", "raw")));

        assertEquals(91, failed.getErrorCode());
        assertTrue(failed.hasErrorLabel("ResumableChangeStreamError"), failed.getResponse().toJson());
    }

    @Test
    void theDriverResumesAfterAResumableErrorWithoutLosingAnEvent() {
        MongoCollection<Document> docs = SERVER.client().getDatabase("resume").getCollection("resumed");
        try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> stream = docs.watch().cursor()) {
            docs.insertOne(new Document("_id", 1));
            StreamReader.read(stream, 1);
            failGetMores(1, 6);   // HostUnreachable
            docs.insertOne(new Document("_id", 2));

            List<ChangeStreamDocument<Document>> events = StreamReader.read(stream, 1);

            assertEquals(new Document("_id", 2), events.get(0).getFullDocument());
        }
    }

    @Test
    void anErrorMongoDbDoesNotLabelEndsTheStream() {
        MongoCollection<Document> docs = SERVER.client().getDatabase("resume").getCollection("fatal");
        try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> stream = docs.watch().cursor()) {
            failGetMores(1, 280);   // ChangeStreamFatalError
            docs.insertOne(new Document("_id", 1));

            MongoException failed = assertThrows(MongoException.class, () -> StreamReader.read(stream, 1));

            assertEquals(280, failed.getCode());
            assertFalse(failed.hasErrorLabel("ResumableChangeStreamError"));
        }
    }

    @Test
    void aStreamWaitingWhenTheServerStopsIsResumedOnTheRestartedServer() throws Exception {
        java.nio.file.Path data = java.nio.file.Files.createTempDirectory("resume-restart");
        int port;
        try (EmbeddedMongo first = EmbeddedMongo.builder().dataDirectory(data).start()) {
            port = first.port();
        }
        EmbeddedMongo server = EmbeddedMongo.builder().dataDirectory(data).port(port).start();
        try (var client = com.mongodb.client.MongoClients.create(server.connectionString())) {
            MongoCollection<Document> docs = client.getDatabase("resume").getCollection("restart");
            docs.insertOne(new Document("_id", 0));
            try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> stream = docs.watch().cursor()) {
                docs.insertOne(new Document("_id", 1));
                StreamReader.read(stream, 1);
                long before = getMores(client);
                Thread waiting = new Thread(() -> stream.tryNext());
                waiting.start();
                awaitGetMoreAfter(client, before);   // the stream's getMore waits on the server when it stops
                server.close();
                server = EmbeddedMongo.builder().dataDirectory(data).port(port).start();
                waiting.join();
                docs.insertOne(new Document("_id", 2));

                List<ChangeStreamDocument<Document>> events = StreamReader.read(stream, 1);

                assertEquals(new Document("_id", 2), events.get(0).getFullDocument());
            }
        } finally {
            server.close();
        }
    }

    @Test
    void aClientThatSawTheServerBeforeItsRestartsKeepsWritingToIt() throws Exception {
        java.nio.file.Path data = java.nio.file.Files.createTempDirectory("restarts");
        EmbeddedMongo server = EmbeddedMongo.builder().dataDirectory(data).start();
        int port = server.port();
        try (var client = com.mongodb.client.MongoClients.create(server.connectionString())) {
            MongoCollection<Document> docs = client.getDatabase("resume").getCollection("restarts");
            for (int restart = 0; restart < 4; restart++) {
                docs.insertOne(new Document("_id", restart));
                server.close();
                server = EmbeddedMongo.builder().dataDirectory(data).port(port).start();
            }
            docs.insertOne(new Document("_id", 4));

            assertEquals(5, docs.countDocuments());
        } finally {
            server.close();
        }
    }

    private static long getMores(com.mongodb.client.MongoClient client) {
        Document status = client.getDatabase("admin").runCommand(new Document("serverStatus", 1));
        return status.get("metrics", Document.class).get("commands", Document.class)
            .get("getMore", Document.class).get("total", Number.class).longValue();
    }

    private static void awaitGetMoreAfter(com.mongodb.client.MongoClient client, long before) throws Exception {
        java.time.Instant deadline = java.time.Instant.now().plus(StreamReader.DEADLINE);
        while (getMores(client) <= before) {
            if (java.time.Instant.now().isAfter(deadline)) {
                throw new AssertionError("the change stream sent no getMore");
            }
            Thread.sleep(10);
        }
    }

    private static void failGetMores(int times, int errorCode) {
        admin().runCommand(new Document("configureFailPoint", FailPoints.FAIL_GET_MORE)
            .append("mode", new Document("times", times))
            .append("data", new Document("errorCode", errorCode)));
    }

    private static MongoDatabase admin() {
        return SERVER.client().getDatabase("admin");
    }
}
