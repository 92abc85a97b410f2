package io.changeover.embedded.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.changestream.ChangeStreamDocument;

/** Resume tokens in MongoDB's format, resuming a stream, and the post-batch resume token of an idle stream. */
class ResumeIT {

    @RegisterExtension
    static final SharedMongo SERVER = new SharedMongo();

    @Test
    void tokenIs82FollowedByTheClusterTimeAsDebeziumReadsIt() {
        MongoCollection<Document> things = collection("format");
        try (var stream = things.watch().cursor()) {
            things.insertMany(List.of(new Document("_id", 1), new Document("_id", 2)));
            List<ChangeStreamDocument<Document>> events = StreamReader.read(stream, 2);

            for (ChangeStreamDocument<Document> event : events) {
                String data = event.getResumeToken().getString("_data").getValue();
                assertTrue(data.startsWith("82"), data);
                assertEquals(event.getClusterTime(), timestampIn(data));
            }
            String first = events.get(0).getResumeToken().getString("_data").getValue();
            String second = events.get(1).getResumeToken().getString("_data").getValue();
            assertNotEquals(first, second);
            assertTrue(first.compareTo(second) < 0, "tokens sort in event order");
        }
    }

    @Test
    void resumeAfterDeliversWhatWasWrittenWhileClosed() {
        MongoCollection<Document> things = collection("resumeAfter");
        BsonDocument token = tokenAfterInserting(things, 1);
        things.insertOne(new Document("_id", 2));
        things.insertOne(new Document("_id", 3));

        try (var stream = things.watch().resumeAfter(token).cursor()) {
            assertEquals(List.of(2, 3), ids(StreamReader.read(stream, 2)));
        }
    }

    @Test
    void startAfterDeliversWhatWasWrittenWhileClosed() {
        MongoCollection<Document> things = collection("startAfter");
        BsonDocument token = tokenAfterInserting(things, 1);
        things.insertOne(new Document("_id", 2));

        try (var stream = things.watch().startAfter(token).cursor()) {
            assertEquals(List.of(2), ids(StreamReader.read(stream, 1)));
        }
    }

    @Test
    void startAtOperationTimeIncludesTheEventAtThatTime() {
        MongoCollection<Document> things = collection("startAt");
        things.insertOne(new Document("_id", 1));
        BsonTimestamp before = SERVER.client().getDatabase("admin").runCommand(new Document("hello", 1))
            .get("operationTime", BsonTimestamp.class);
        things.insertOne(new Document("_id", 2));
        things.insertOne(new Document("_id", 3));
        BsonTimestamp atSecond = new BsonTimestamp(before.getValue() + 1);

        try (var stream = things.watch().startAtOperationTime(atSecond).cursor()) {
            assertEquals(List.of(2, 3), ids(StreamReader.read(stream, 2)));
        }
    }

    @Test
    void postBatchResumeTokenOfAnIdleStreamMovesForwardWithOtherWrites() {
        MongoCollection<Document> watched = collection("idle");
        MongoCollection<Document> busy = collection("busy");
        try (var stream = watched.watch().cursor()) {
            assertNull(stream.tryNext());
            BsonDocument before = stream.getResumeToken();
            busy.insertOne(new Document("_id", 1));
            BsonTimestamp busyWrite = SERVER.client().getDatabase("admin").runCommand(new Document("hello", 1))
                .get("operationTime", BsonTimestamp.class);

            assertNull(stream.tryNext(), "the write was elsewhere: no event");
            BsonDocument after = stream.getResumeToken();

            String beforeData = before.getString("_data").getValue();
            String afterData = after.getString("_data").getValue();
            assertTrue(beforeData.compareTo(afterData) < 0, beforeData + " < " + afterData);
            assertEquals(busyWrite, timestampIn(afterData), "token moved to the latest cluster time");
        }
    }

    private static BsonDocument tokenAfterInserting(MongoCollection<Document> things, int id) {
        try (var stream = things.watch().cursor()) {
            things.insertOne(new Document("_id", id));
            return StreamReader.read(stream, 1).get(0).getResumeToken();
        }
    }

    private static List<Integer> ids(List<ChangeStreamDocument<Document>> events) {
        return events.stream().map(event -> event.getDocumentKey().getInt32("_id").getValue()).toList();
    }

    /** What Debezium's ResumeTokens.getTimestamp does: the 8 bytes after the leading 0x82. */
    static BsonTimestamp timestampIn(String data) {
        return new BsonTimestamp(Long.parseUnsignedLong(data.substring(2, 18), 16));
    }

    private static MongoCollection<Document> collection(String name) {
        return SERVER.client().getDatabase("resume").getCollection(name);
    }
}
