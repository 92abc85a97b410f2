package io.changeover.embedded.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.RenameCollectionOptions;
import com.mongodb.client.model.changestream.ChangeStreamDocument;

/** Streams on a database and on the whole deployment, and the $match filters Debezium puts in front of them. */
class ChangeStreamScopeIT {

    @RegisterExtension
    static final SharedMongo SERVER = new SharedMongo();

    @Test
    void databaseWatchSeesEveryCollectionOfThatDatabaseOnly() {
        try (var stream = SERVER.client().getDatabase("shop").watch().cursor()) {
            SERVER.client().getDatabase("shop").getCollection("orders").insertOne(new Document("_id", 1));
            SERVER.client().getDatabase("elsewhere").getCollection("orders").insertOne(new Document("_id", 2));
            SERVER.client().getDatabase("shop").getCollection("customers").insertOne(new Document("_id", 3));

            List<ChangeStreamDocument<Document>> events = StreamReader.read(stream, 2);

            assertEquals(List.of("shop.orders", "shop.customers"), namespaces(events));
        }
    }

    @Test
    void clientWatchSeesEveryDatabaseButTheInternalOnes() {
        try (var stream = SERVER.client().watch().cursor()) {
            SERVER.client().getDatabase("alpha").getCollection("a").insertOne(new Document("_id", 1));
            SERVER.client().getDatabase("admin").getCollection("hidden").insertOne(new Document("_id", 2));
            SERVER.client().getDatabase("beta").getCollection("b").insertOne(new Document("_id", 3));

            List<ChangeStreamDocument<Document>> events = StreamReader.read(stream, 2);

            assertEquals(List.of("alpha.a", "beta.b"), namespaces(events));
        }
    }

    @Test
    void matchOnNamespaceAndOperationTypeFiltersEvents() {
        Bson debeziumLikeFilter = Filters.and(
            Filters.or(Filters.regex("ns.db", "^filtered$"), Filters.eq("ns.db", "never")),
            Filters.in("ns.coll", List.of("keep", "alsoKeep")),
            Filters.in("operationType", List.of("insert", "update", "replace", "delete")));
        try (var stream = SERVER.client().watch(List.of(Aggregates.match(debeziumLikeFilter))).cursor()) {
            SERVER.client().getDatabase("filtered").getCollection("keep").insertOne(new Document("_id", 1));
            SERVER.client().getDatabase("filtered").getCollection("skip").insertOne(new Document("_id", 2));
            SERVER.client().getDatabase("other").getCollection("keep").insertOne(new Document("_id", 3));
            SERVER.client().getDatabase("filtered").getCollection("alsoKeep").insertOne(new Document("_id", 4));
            SERVER.client().getDatabase("filtered").getCollection("keep").deleteOne(Filters.eq("_id", 1));

            List<ChangeStreamDocument<Document>> events = StreamReader.read(stream, 3);

            assertEquals(List.of("filtered.keep", "filtered.alsoKeep", "filtered.keep"), namespaces(events));
            assertEquals("delete", events.get(2).getOperationTypeString());
        }
    }

    @Test
    void droppingTheWatchedCollectionEndsTheStreamWithInvalidate() {
        var collection = SERVER.client().getDatabase("drops").getCollection("temp");
        collection.insertOne(new Document("_id", 1));
        try (var stream = collection.watch().cursor()) {
            collection.drop();

            List<ChangeStreamDocument<Document>> events = StreamReader.read(stream, 2);

            assertEquals(List.of("drop", "invalidate"), events.stream()
                .map(ChangeStreamDocument::getOperationTypeString).toList());
        }
    }

    @Test
    void renamingTheWatchedCollectionReportsTheNewNameThenInvalidates() {
        var db = SERVER.client().getDatabase("renames");
        var collection = db.getCollection("before");
        collection.insertOne(new Document("_id", 1));
        try (var stream = collection.watch().cursor()) {
            collection.renameCollection(new MongoNamespace("renames", "after"));

            List<ChangeStreamDocument<Document>> events = StreamReader.read(stream, 2);

            assertEquals(List.of("rename", "invalidate"), events.stream()
                .map(ChangeStreamDocument::getOperationTypeString).toList());
            assertEquals("renames.before", events.get(0).getNamespace().getFullName());
            assertEquals("renames.after", events.get(0).getDestinationNamespace().getFullName());
        }
        assertEquals(1, db.getCollection("after").countDocuments());
    }

    @Test
    void aDatabaseStreamReportsARenameAndGoesOn() {
        var db = SERVER.client().getDatabase("renamesInDatabase");
        db.getCollection("old").insertOne(new Document("_id", 1));
        try (var stream = db.watch().cursor()) {
            db.getCollection("old").renameCollection(new MongoNamespace("renamesInDatabase", "new"));
            db.getCollection("new").insertOne(new Document("_id", 2));

            List<ChangeStreamDocument<Document>> events = StreamReader.read(stream, 2);

            assertEquals(List.of("rename", "insert"), events.stream()
                .map(ChangeStreamDocument::getOperationTypeString).toList());
            assertEquals("renamesInDatabase.new", events.get(1).getNamespace().getFullName());
        }
    }

    @Test
    void aRenameOntoAnExistingCollectionWithDropTargetDropsItFirst() {
        var db = SERVER.client().getDatabase("renamesDropTarget");
        db.getCollection("source").insertOne(new Document("_id", 1));
        db.getCollection("target").insertOne(new Document("_id", 9));
        try (var stream = db.watch().cursor()) {
            db.getCollection("source").renameCollection(new MongoNamespace("renamesDropTarget", "target"),
                new RenameCollectionOptions().dropTarget(true));

            List<ChangeStreamDocument<Document>> events = StreamReader.read(stream, 2);

            assertEquals(List.of("drop", "rename"), events.stream()
                .map(ChangeStreamDocument::getOperationTypeString).toList());
            assertEquals("renamesDropTarget.target", events.get(0).getNamespace().getFullName());
        }
    }

    private static List<String> namespaces(List<ChangeStreamDocument<Document>> events) {
        return events.stream().map(event -> event.getNamespace().getFullName()).toList();
    }
}
