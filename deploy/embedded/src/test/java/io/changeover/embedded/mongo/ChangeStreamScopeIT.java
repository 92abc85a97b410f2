package io.changeover.embedded.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.changestream.ChangeStreamDocument;

/** Streams on a database and on the whole deployment, and the $match filters Debezium puts in front of them. */
class ChangeStreamScopeIT {

    private static EmbeddedMongo mongo;
    private static MongoClient client;

    @BeforeAll
    static void start() {
        mongo = EmbeddedMongo.start();
        client = MongoClients.create(mongo.connectionString());
    }

    @AfterAll
    static void stop() {
        client.close();
        mongo.close();
    }

    @Test
    void databaseWatchSeesEveryCollectionOfThatDatabaseOnly() {
        try (var stream = client.getDatabase("shop").watch().cursor()) {
            client.getDatabase("shop").getCollection("orders").insertOne(new Document("_id", 1));
            client.getDatabase("elsewhere").getCollection("orders").insertOne(new Document("_id", 2));
            client.getDatabase("shop").getCollection("customers").insertOne(new Document("_id", 3));

            List<ChangeStreamDocument<Document>> events = StreamReader.read(stream, 2);

            assertEquals(List.of("shop.orders", "shop.customers"), namespaces(events));
        }
    }

    @Test
    void clientWatchSeesEveryDatabaseButTheInternalOnes() {
        try (var stream = client.watch().cursor()) {
            client.getDatabase("alpha").getCollection("a").insertOne(new Document("_id", 1));
            client.getDatabase("admin").getCollection("hidden").insertOne(new Document("_id", 2));
            client.getDatabase("beta").getCollection("b").insertOne(new Document("_id", 3));

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
        try (var stream = client.watch(List.of(Aggregates.match(debeziumLikeFilter))).cursor()) {
            client.getDatabase("filtered").getCollection("keep").insertOne(new Document("_id", 1));
            client.getDatabase("filtered").getCollection("skip").insertOne(new Document("_id", 2));
            client.getDatabase("other").getCollection("keep").insertOne(new Document("_id", 3));
            client.getDatabase("filtered").getCollection("alsoKeep").insertOne(new Document("_id", 4));
            client.getDatabase("filtered").getCollection("keep").deleteOne(Filters.eq("_id", 1));

            List<ChangeStreamDocument<Document>> events = StreamReader.read(stream, 3);

            assertEquals(List.of("filtered.keep", "filtered.alsoKeep", "filtered.keep"), namespaces(events));
            assertEquals("delete", events.get(2).getOperationTypeString());
        }
    }

    @Test
    void droppingTheWatchedCollectionEndsTheStreamWithInvalidate() {
        var collection = client.getDatabase("drops").getCollection("temp");
        collection.insertOne(new Document("_id", 1));
        try (var stream = collection.watch().cursor()) {
            collection.drop();

            List<ChangeStreamDocument<Document>> events = StreamReader.read(stream, 2);

            assertEquals(List.of("drop", "invalidate"), events.stream()
                .map(ChangeStreamDocument::getOperationTypeString).toList());
        }
    }

    private static List<String> namespaces(List<ChangeStreamDocument<Document>> events) {
        return events.stream().map(event -> event.getNamespace().getFullName()).toList();
    }
}
