package io.changeover.embedded.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.client.model.changestream.OperationType;

/**
 * Field names MongoDB 5.0 stores and mongo-java-server refused: top-level names with dots, written by a plain
 * replacement, and top-level names starting with {@code $}, written by the update pipeline
 * {@code [{$replaceWith: {$literal: <doc>}}]}. Each is stored exactly and reported as MongoDB reports it.
 */
class FieldNamesIT {

    @RegisterExtension
    static final SharedMongo SERVER = new SharedMongo();

    @Test
    void aReplacementWithDottedTopLevelNamesIsStoredExactlyAndReportedAsAReplace() {
        MongoCollection<Document> docs = collection("dotted");
        docs.insertOne(new Document("_id", 1).append("plain", 1));
        try (var stream = docs.watch().cursor()) {
            Document dotted = new Document("a.b", 1).append("c", new Document("d.e", "x"));

            docs.replaceOne(Filters.eq("_id", 1), dotted);
            docs.replaceOne(Filters.eq("_id", 2), new Document("x.y", 2), new ReplaceOptions().upsert(true));

            List<ChangeStreamDocument<Document>> events = StreamReader.read(stream, 2);
            assertEquals(OperationType.REPLACE, events.get(0).getOperationType());
            assertEquals(new Document("_id", 1).append("a.b", 1).append("c", new Document("d.e", "x")),
                events.get(0).getFullDocument());
            assertEquals(OperationType.INSERT, events.get(1).getOperationType());
        }
        assertEquals(new Document("_id", 1).append("a.b", 1).append("c", new Document("d.e", "x")),
            docs.find(Filters.eq("_id", 1)).first());
        assertEquals(new Document("_id", 2).append("x.y", 2), docs.find(Filters.eq("_id", 2)).first());
    }

    @Test
    void aLiteralPipelineStoresDollarPrefixedNamesAndStringsThatLookLikePaths() {
        MongoCollection<Document> docs = collection("dollar");
        Document priced = new Document("$price", 5).append("note", "$notAPath")
            .append("nested", new Document("$inner", 1));
        try (var stream = docs.watch(List.of()).fullDocument(FullDocument.UPDATE_LOOKUP).cursor()) {
            docs.updateOne(Filters.eq("_id", 1), literally(priced), new UpdateOptions().upsert(true));
            docs.updateOne(Filters.eq("_id", 1), literally(new Document("$price", 6)));

            List<ChangeStreamDocument<Document>> events = StreamReader.read(stream, 2);
            assertEquals(OperationType.INSERT, events.get(0).getOperationType());
            assertEquals(OperationType.UPDATE, events.get(1).getOperationType(),
                "MongoDB reports a pipeline update as an update");
            assertEquals(new Document("_id", 1).append("$price", 6), events.get(1).getFullDocument());
        }
        assertEquals(new Document("_id", 1).append("$price", 6), docs.find(Filters.eq("_id", 1)).first());
    }

    @Test
    void aGuardedLiteralUpsertThatMatchesNothingCollidesOnTheIdAsAReplacementWould() {
        MongoCollection<Document> docs = collection("guarded");
        docs.insertOne(new Document("_id", 1).append("v", 5));
        Bson olderThanStored = Filters.and(Filters.eq("_id", 1), Filters.lt("v", 3));

        MongoWriteException refused = assertThrows(MongoWriteException.class, () -> docs.updateOne(olderThanStored,
            literally(new Document("$price", 1).append("v", 3)), new UpdateOptions().upsert(true)));

        assertEquals(11000, refused.getError().getCode());
        assertEquals(new Document("_id", 1).append("v", 5), docs.find(Filters.eq("_id", 1)).first());
    }

    @Test
    void aLiteralReplacementKeepsSecondaryUniqueIndexesInStep() {
        MongoCollection<Document> docs = collection("indexed");
        docs.createIndex(Indexes.ascending("email"), new IndexOptions().unique(true));
        docs.insertOne(new Document("_id", 1).append("email", "a@x"));
        docs.insertOne(new Document("_id", 2).append("email", "b@x"));

        docs.updateOne(Filters.eq("_id", 1), literally(new Document("$tag", 1).append("email", "c@x")));
        MongoWriteException taken = assertThrows(MongoWriteException.class, () -> docs.updateOne(
            Filters.eq("_id", 2), literally(new Document("$tag", 2).append("email", "c@x"))));

        assertEquals(11000, taken.getError().getCode());
        docs.insertOne(new Document("_id", 3).append("email", "a@x"));   // the old value is free again
        assertEquals(1, docs.countDocuments(Filters.eq("email", "c@x")));
    }

    @Test
    void aLiteralReplacementCannotChangeTheId() {
        MongoCollection<Document> docs = collection("immutable");
        docs.insertOne(new Document("_id", 1));

        MongoWriteException refused = assertThrows(MongoWriteException.class,
            () -> docs.updateOne(Filters.eq("_id", 1), literally(new Document("_id", 2).append("$a", 1))));

        assertEquals(66, refused.getError().getCode());
    }

    @Test
    void otherUpdatePipelinesAreRefusedNamingTheOneSupported() {
        MongoCollection<Document> docs = collection("pipelines");
        docs.insertOne(new Document("_id", 1));

        MongoCommandException refused = assertThrows(MongoCommandException.class, () -> docs.updateOne(
            Filters.eq("_id", 1), List.of(new Document("$set", new Document("a", 1)))));

        assertEquals(9, refused.getErrorCode());
        assertEquals(true, refused.getErrorMessage().contains("$replaceWith"), refused.getErrorMessage());
    }

    @Test
    void setAndUnsetUpdateOnlyTheirPathsOfDocumentsWithDottedOrDollarNames() {
        MongoCollection<Document> docs = collection("setUnset");
        docs.updateOne(Filters.eq("_id", 1), literally(new Document("$price", 5).append("a.b", 1).append("p", 7)
            .append("n", new Document("x", 1))), new UpdateOptions().upsert(true));
        try (var stream = docs.watch().cursor()) {
            docs.updateOne(Filters.eq("_id", 1), Updates.combine(Updates.unset("p"), Updates.set("n.y", 2)));

            ChangeStreamDocument<Document> event = StreamReader.read(stream, 1).get(0);

            assertEquals(OperationType.UPDATE, event.getOperationType());
            assertEquals(List.of("p"), event.getUpdateDescription().getRemovedFields());
        }
        assertEquals(new Document("_id", 1).append("$price", 5).append("a.b", 1)
            .append("n", new Document("x", 1).append("y", 2)), docs.find(Filters.eq("_id", 1)).first());
        docs.updateMany(new Document(), Updates.unset("n"));
        assertEquals(new Document("_id", 1).append("$price", 5).append("a.b", 1), docs.find().first());
        MongoWriteException conflict = assertThrows(MongoWriteException.class, () -> docs.updateOne(
            Filters.eq("_id", 1), Updates.combine(Updates.set("m.x", 1), Updates.unset("m"))));
        assertEquals(40, conflict.getError().getCode());
    }

    @Test
    void aStreamThatWrapsEachEventAsDebeziumDoesCarriesDollarNamedDocumentsUnchanged() {
        MongoCollection<Document> docs = collection("wrapped");
        Document wrap = new Document("$replaceRoot", new Document("newRoot", new Document("namespace",
            new Document("$concat", List.of("$ns.db", ".", "$ns.coll"))).append("event", "$$ROOT")));
        Document match = new Document("$match", new Document("namespace", new Document("$regex", "names\\.wrapped")));
        Document unwrap = new Document("$replaceRoot", new Document("newRoot", "$event"));
        Document priced = new Document("_id", 1).append("$price", 5).append("note", "$notAPath");
        try (var stream = docs.watch(List.of(wrap, match, unwrap)).cursor()) {
            docs.updateOne(Filters.eq("_id", 1), literally(priced), new UpdateOptions().upsert(true));

            assertEquals(priced, StreamReader.read(stream, 1).get(0).getFullDocument());
        }
    }

    private static List<Bson> literally(Document document) {
        return List.of(new Document("$replaceWith", new Document("$literal", document)));
    }

    private static MongoCollection<Document> collection(String name) {
        return SERVER.client().getDatabase("names").getCollection(name);
    }
}
