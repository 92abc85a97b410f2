package io.changeover.embedded.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.OperationType;

/** With a data directory, a restarted server finds its data, its indexes and its oplog. */
class PersistenceIT {

    @TempDir
    Path dataDirectory;

    @Test
    void restartKeepsDocumentsIndexesAndResumableHistory() {
        BsonDocument token;
        BsonTimestamp lastTimeBeforeRestart;
        try (EmbeddedMongo first = EmbeddedMongo.builder().dataDirectory(dataDirectory).start();
             MongoClient client = MongoClients.create(first.connectionString())) {
            MongoCollection<Document> people = client.getDatabase("demo").getCollection("people");
            people.createIndex(Indexes.ascending("email"), new IndexOptions().unique(true));
            try (var stream = people.watch().cursor()) {
                people.insertOne(new Document("_id", 1).append("email", "ada@example.com"));
                token = StreamReader.read(stream, 1).get(0).getResumeToken();
            }
            people.insertOne(new Document("_id", 2).append("email", "grace@example.com"));
            people.updateOne(Filters.eq("_id", 1), Updates.set("name", "Ada"));
            people.deleteOne(Filters.eq("_id", 2));
            lastTimeBeforeRestart = operationTime(client);
        }
        waitForTheNextSecond(lastTimeBeforeRestart);

        try (EmbeddedMongo second = EmbeddedMongo.builder().dataDirectory(dataDirectory).start();
             MongoClient client = MongoClients.create(second.connectionString())) {
            MongoCollection<Document> people = client.getDatabase("demo").getCollection("people");

            assertEquals(List.of(new Document("_id", 1).append("email", "ada@example.com").append("name", "Ada")),
                people.find().into(new java.util.ArrayList<>()));
            assertThrows(MongoWriteException.class,
                () -> people.insertOne(new Document("_id", 3).append("email", "ada@example.com")),
                "the unique index came back");
            assertEquals(lastTimeBeforeRestart, operationTime(client), "cluster time continues from the oplog");

            try (var stream = people.watch().resumeAfter(token).cursor()) {
                List<ChangeStreamDocument<Document>> events = StreamReader.read(stream, 3);
                assertEquals(List.of(OperationType.INSERT, OperationType.UPDATE, OperationType.DELETE),
                    events.stream().map(ChangeStreamDocument::getOperationType).toList());
            }
            people.insertOne(new Document("_id", 4).append("email", "new@example.com"));
            assertTrue(operationTime(client).compareTo(lastTimeBeforeRestart) > 0);
        }
    }

    @Test
    void closeIsIdempotentAndAnEmptyDirectoryStartsEmpty() {
        EmbeddedMongo mongo = EmbeddedMongo.builder().dataDirectory(dataDirectory.resolve("fresh")).start();
        try (MongoClient client = MongoClients.create(mongo.connectionString())) {
            assertEquals(0, client.getDatabase("demo").getCollection("people").countDocuments());
        }
        mongo.close();
        mongo.close();
    }

    /** The restart happens in a later second than the last write, as after any real pause. */
    private static void waitForTheNextSecond(BsonTimestamp time) {
        while (System.currentTimeMillis() / 1000 <= time.getTime()) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static BsonTimestamp operationTime(MongoClient client) {
        return client.getDatabase("admin").runCommand(new Document("hello", 1)).get("operationTime", BsonTimestamp.class);
    }
}
