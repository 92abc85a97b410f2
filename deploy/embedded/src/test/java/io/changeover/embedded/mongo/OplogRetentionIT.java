package io.changeover.embedded.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.IntStream;

import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.changestream.ChangeStreamDocument;

/** The oplog keeps a bounded history; asking for more than it kept fails as MongoDB does (286). */
class OplogRetentionIT {

    private static final int CAPACITY = 10;
    private static final int CHANGE_STREAM_HISTORY_LOST = 286;

    private static EmbeddedMongo mongo;
    private static MongoClient client;

    @BeforeAll
    static void start() {
        mongo = EmbeddedMongo.builder().oplogCapacity(CAPACITY).start();
        client = MongoClients.create(mongo.connectionString());
    }

    @AfterAll
    static void stop() {
        client.close();
        mongo.close();
    }

    @Test
    void resumingWithinTheRetainedHistoryWorks() {
        MongoCollection<Document> things = collection("within");
        BsonDocument token = tokenOfInsert(things, 0);
        insert(things, 1, CAPACITY - 1);

        try (var stream = things.watch().resumeAfter(token).cursor()) {
            assertEquals(CAPACITY - 1, StreamReader.read(stream, CAPACITY - 1).size());
        }
    }

    @Test
    void resumingFromATrimmedPositionFailsWithChangeStreamHistoryLost() {
        MongoCollection<Document> things = collection("trimmed");
        BsonDocument token = tokenOfInsert(things, 0);
        insert(things, 1, 2 * CAPACITY);

        MongoCommandException error = assertThrows(MongoCommandException.class,
            () -> things.watch().resumeAfter(token).cursor().tryNext());

        assertEquals(CHANGE_STREAM_HISTORY_LOST, error.getErrorCode());
        assertEquals("ChangeStreamHistoryLost", error.getErrorCodeName());
    }

    @Test
    void startingAtATrimmedOperationTimeFails() {
        MongoCollection<Document> things = collection("startAt");
        BsonTimestamp early = operationTime();
        insert(things, 0, 2 * CAPACITY);

        MongoCommandException error = assertThrows(MongoCommandException.class,
            () -> things.watch().startAtOperationTime(early).cursor().tryNext());

        assertEquals(CHANGE_STREAM_HISTORY_LOST, error.getErrorCode());
    }

    @Test
    void aStreamThatFallsBehindTheTrimFails() {
        MongoCollection<Document> things = collection("behind");
        try (var stream = things.watch().batchSize(2).cursor()) {
            insert(things, 0, 3 * CAPACITY);

            MongoCommandException error = assertThrows(MongoCommandException.class, () -> {
                for (int i = 0; i < 3 * CAPACITY; i++) {
                    stream.tryNext();
                }
            });

            assertEquals(CHANGE_STREAM_HISTORY_LOST, error.getErrorCode());
        }
    }

    private static BsonDocument tokenOfInsert(MongoCollection<Document> things, int id) {
        try (var stream = things.watch().cursor()) {
            things.insertOne(new Document("_id", id));
            List<ChangeStreamDocument<Document>> events = StreamReader.read(stream, 1);
            return events.get(0).getResumeToken();
        }
    }

    private static void insert(MongoCollection<Document> things, int from, int count) {
        IntStream.range(from, from + count).forEach(id -> things.insertOne(new Document("_id", id)));
    }

    private static BsonTimestamp operationTime() {
        return client.getDatabase("admin").runCommand(new Document("hello", 1)).get("operationTime", BsonTimestamp.class);
    }

    private static MongoCollection<Document> collection(String name) {
        return client.getDatabase("retention").getCollection(name);
    }
}
