package io.changeover.embedded.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateManyModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.client.model.changestream.OperationType;

/** Change events look like MongoDB's: what Debezium and the driver read from them is there and right. */
class ChangeEventShapeIT {

    @RegisterExtension
    static final SharedMongo SERVER = new SharedMongo();

    @Test
    void insertCarriesNamespaceKeyDocumentAndTimes() {
        MongoCollection<Document> people = collection("insert");
        try (var stream = people.watch().cursor()) {
            people.insertOne(new Document("_id", 7).append("name", "Ada"));

            ChangeStreamDocument<Document> event = StreamReader.read(stream, 1).get(0);

            assertEquals(OperationType.INSERT, event.getOperationType());
            assertEquals("shape", event.getNamespace().getDatabaseName());
            assertEquals("insert", event.getNamespace().getCollectionName());
            assertEquals(new BsonDocument("_id", new BsonInt32(7)), event.getDocumentKey());
            assertEquals(new Document("_id", 7).append("name", "Ada"), event.getFullDocument());
            assertNotNull(event.getClusterTime());
            assertNotNull(event.getWallTime());
            assertEquals(event.getClusterTime().getTime(), event.getWallTime().getValue() / 1000, 1.0,
                "wallTime and clusterTime name the same second");
        }
    }

    @Test
    void updateCarriesDocumentKeyAndUpdateDescription() {
        MongoCollection<Document> people = collection("update");
        people.insertOne(new Document("_id", 1).append("name", "Ada").append("visits", 1).append("tmp", true)
            .append("address", new Document("city", "London").append("zip", "N1")));
        try (var stream = people.watch().cursor()) {
            people.updateOne(Filters.eq("_id", 1), Updates.combine(Updates.set("name", "Ada L."),
                Updates.inc("visits", 2), Updates.unset("tmp"), Updates.set("address.city", "Paris")));

            ChangeStreamDocument<Document> event = StreamReader.read(stream, 1).get(0);

            assertEquals(OperationType.UPDATE, event.getOperationType());
            assertEquals(new BsonDocument("_id", new BsonInt32(1)), event.getDocumentKey());
            BsonDocument updated = event.getUpdateDescription().getUpdatedFields();
            assertEquals(new BsonString("Ada L."), updated.get("name"));
            assertEquals(new BsonInt32(3), updated.get("visits"));
            assertEquals(new BsonString("Paris"), updated.get("address.city"));
            assertEquals(3, updated.size(), "only changed fields: " + updated);
            assertEquals(List.of("tmp"), event.getUpdateDescription().getRemovedFields());
            assertNull(event.getFullDocument(), "no fullDocument unless updateLookup was asked for");
            assertEquals("update", event.getNamespace().getCollectionName());
        }
    }

    @Test
    void replaceIsReportedAsReplaceWithTheNewDocument() {
        MongoCollection<Document> people = collection("replace");
        people.insertOne(new Document("_id", 1).append("name", "Ada"));
        try (var stream = people.watch().cursor()) {
            people.replaceOne(Filters.eq("_id", 1), new Document("name", "Grace"));

            ChangeStreamDocument<Document> event = StreamReader.read(stream, 1).get(0);

            assertEquals(OperationType.REPLACE, event.getOperationType());
            assertEquals(new BsonDocument("_id", new BsonInt32(1)), event.getDocumentKey());
            assertEquals(new Document("_id", 1).append("name", "Grace"), event.getFullDocument());
        }
    }

    @Test
    void deleteCarriesOnlyTheDocumentKey() {
        MongoCollection<Document> people = collection("delete");
        people.insertOne(new Document("_id", "x").append("name", "Ada"));
        try (var stream = people.watch().cursor()) {
            people.deleteOne(Filters.eq("_id", "x"));

            ChangeStreamDocument<Document> event = StreamReader.read(stream, 1).get(0);

            assertEquals(OperationType.DELETE, event.getOperationType());
            assertEquals(new BsonDocument("_id", new BsonString("x")), event.getDocumentKey());
            assertNull(event.getFullDocument());
            assertEquals("delete", event.getNamespace().getCollectionName());
        }
    }

    @Test
    void updateLookupReturnsTheCurrentDocumentOrNullOnceDeleted() {
        MongoCollection<Document> people = collection("lookup");
        people.insertOne(new Document("_id", 1).append("n", 0));
        people.insertOne(new Document("_id", 2).append("n", 0));
        try (var stream = people.watch().fullDocument(FullDocument.UPDATE_LOOKUP).cursor()) {
            people.updateOne(Filters.eq("_id", 1), Updates.set("n", 1));
            people.updateOne(Filters.eq("_id", 2), Updates.set("n", 1));
            people.deleteOne(Filters.eq("_id", 2));

            List<ChangeStreamDocument<Document>> events = StreamReader.read(stream, 3);

            assertEquals(new Document("_id", 1).append("n", 1), events.get(0).getFullDocument());
            assertEquals(OperationType.UPDATE, events.get(1).getOperationType());
            assertNull(events.get(1).getFullDocument(), "document 2 was deleted before the lookup");
            assertEquals(new BsonInt32(1), events.get(1).getUpdateDescription().getUpdatedFields().get("n"));
            assertEquals(OperationType.DELETE, events.get(2).getOperationType());
        }
    }

    @Test
    void findOneAndUpdateAndUpsertsAreCaptured() {
        MongoCollection<Document> people = collection("findAndModify");
        people.insertOne(new Document("_id", 1).append("n", 0));
        try (var stream = people.watch().cursor()) {
            people.findOneAndUpdate(Filters.eq("_id", 1), Updates.inc("n", 5),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
            people.findOneAndReplace(Filters.eq("_id", 1), new Document("m", 1));
            people.updateOne(Filters.eq("_id", 2), Updates.set("n", 9), new com.mongodb.client.model.UpdateOptions().upsert(true));
            people.findOneAndDelete(Filters.eq("_id", 1));

            List<ChangeStreamDocument<Document>> events = StreamReader.read(stream, 4);

            assertEquals(List.of(OperationType.UPDATE, OperationType.REPLACE, OperationType.INSERT, OperationType.DELETE),
                events.stream().map(ChangeStreamDocument::getOperationType).toList());
            assertEquals(new BsonInt32(5), events.get(0).getUpdateDescription().getUpdatedFields().get("n"));
            assertEquals(new Document("_id", 2).append("n", 9), events.get(2).getFullDocument());
        }
    }

    @Test
    void eachStatementOfABulkWriteIsReportedAsWhatItIs() {
        MongoCollection<Document> people = collection("bulk");
        people.insertMany(List.of(new Document("_id", 1).append("n", 0), new Document("_id", 2).append("n", 0)));
        try (var stream = people.watch().cursor()) {
            people.bulkWrite(List.of(
                new ReplaceOneModel<>(Filters.eq("_id", 1), new Document("a", 1)),
                new UpdateOneModel<>(Filters.eq("_id", 1), Updates.set("b", 2)),
                new ReplaceOneModel<>(Filters.eq("_id", 2), new Document("c", 3)),
                new UpdateManyModel<>(Filters.in("_id", List.of(1, 2)), Updates.inc("n", 1))));

            List<ChangeStreamDocument<Document>> events = StreamReader.read(stream, 5);

            assertEquals(List.of(OperationType.REPLACE, OperationType.UPDATE, OperationType.REPLACE,
                OperationType.UPDATE, OperationType.UPDATE),
                events.stream().map(ChangeStreamDocument::getOperationType).toList());
            assertEquals(new Document("_id", 1).append("a", 1), events.get(0).getFullDocument());
            assertEquals(new BsonDocument("b", new BsonInt32(2)), events.get(1).getUpdateDescription().getUpdatedFields());
            assertEquals(new Document("_id", 2).append("c", 3), events.get(2).getFullDocument());
            assertEquals(new BsonDocument("n", new BsonInt32(1)), events.get(3).getUpdateDescription().getUpdatedFields());
            assertEquals(new BsonDocument("_id", new BsonInt32(2)), events.get(4).getDocumentKey());
        }
    }

    @Test
    void rejectedDuplicatesProduceNoInsertEvents() {
        MongoCollection<Document> people = collection("duplicates");
        people.insertOne(new Document("_id", 1));
        try (var stream = people.watch().cursor()) {
            try {
                people.insertMany(List.of(new Document("_id", 2), new Document("_id", 1), new Document("_id", 3)),
                    new com.mongodb.client.model.InsertManyOptions().ordered(false));
            } catch (com.mongodb.MongoBulkWriteException expected) {
                assertEquals(1, expected.getWriteErrors().size());
            }
            people.insertOne(new Document("_id", "marker"));

            List<ChangeStreamDocument<Document>> events = StreamReader.read(stream, 3);

            assertEquals(List.of(2, 3, "marker"), events.stream()
                .map(event -> event.getDocumentKey().get("_id"))
                .map(id -> id.isInt32() ? (Object) id.asInt32().getValue() : id.asString().getValue()).toList());
        }
    }

    @Test
    void eventsOfDistinctWritesHaveDistinctIncreasingClusterTimes() {
        MongoCollection<Document> people = collection("times");
        try (var stream = people.watch().cursor()) {
            people.insertMany(List.of(new Document("_id", 1), new Document("_id", 2), new Document("_id", 3)));

            List<ChangeStreamDocument<Document>> events = StreamReader.read(stream, 3);

            assertTrue(events.get(0).getClusterTime().compareTo(events.get(1).getClusterTime()) < 0);
            assertTrue(events.get(1).getClusterTime().compareTo(events.get(2).getClusterTime()) < 0);
        }
    }

    private static MongoCollection<Document> collection(String name) {
        return SERVER.client().getDatabase("shape").getCollection(name);
    }

}
