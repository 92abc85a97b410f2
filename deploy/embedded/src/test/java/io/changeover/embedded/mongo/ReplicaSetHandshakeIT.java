package io.changeover.embedded.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.connection.ClusterType;

/** The server introduces itself as a replica-set primary, so drivers and Debezium accept it as one. */
class ReplicaSetHandshakeIT {

    private static EmbeddedMongo mongo;
    private static MongoClient client;

    @BeforeAll
    static void start() {
        mongo = EmbeddedMongo.start();
        client = MongoClients.create(MongoClientSettings.builder()
            .applyConnectionString(new ConnectionString(mongo.connectionString()))
            .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(10, TimeUnit.SECONDS))
            .build());
    }

    @AfterAll
    static void stop() {
        client.close();
        mongo.close();
    }

    @Test
    void connectionStringNamesTheReplicaSetAndTheDriverSelectsThePrimary() {
        assertEquals("mongodb://localhost:" + mongo.port() + "/?replicaSet=rs0", mongo.connectionString());
        MongoCollection<Document> things = client.getDatabase("handshake").getCollection("things");
        things.insertOne(new Document("_id", 1).append("name", "first"));

        assertEquals("first", things.find().first().getString("name"));
        assertEquals(ClusterType.REPLICA_SET, client.getClusterDescription().getType());
        assertEquals("rs0", client.getClusterDescription().getServerDescriptions().get(0).getSetName());
    }

    @Test
    void helloReportsAPrimaryOfTheReplicaSetWithClusterTime() {
        Document hello = client.getDatabase("admin").runCommand(new Document("hello", 1));

        String host = "localhost:" + mongo.port();
        assertEquals(true, hello.get("isWritablePrimary"));
        assertEquals("rs0", hello.getString("setName"));
        assertEquals(List.of(host), hello.getList("hosts", String.class));
        assertEquals(host, hello.getString("primary"));
        assertEquals(30, hello.getInteger("logicalSessionTimeoutMinutes"));
        assertNotNull(hello.get("operationTime", BsonTimestamp.class));
        Document clusterTime = hello.get("$clusterTime", Document.class);
        assertEquals(hello.get("operationTime"), clusterTime.get("clusterTime"));
    }

    @Test
    void legacyIsMasterCarriesTheSameReplicaSetFields() {
        Document isMaster = client.getDatabase("admin").runCommand(new Document("isMaster", 1));

        assertEquals(true, isMaster.get("ismaster"));
        assertEquals("rs0", isMaster.getString("setName"));
        assertEquals(List.of("localhost:" + mongo.port()), isMaster.getList("hosts", String.class));
        assertNotNull(isMaster.get("operationTime", BsonTimestamp.class));
        assertNotNull(isMaster.get("$clusterTime", Document.class));
        assertEquals(30, isMaster.getInteger("logicalSessionTimeoutMinutes"));
    }

    @Test
    void operationTimeOfAnIdleServerIsTheClusterTimeOfTheLastWrite() {
        MongoCollection<Document> things = client.getDatabase("handshake").getCollection("lag");
        try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> stream = things.watch().cursor()) {
            things.insertOne(new Document("_id", "last"));
            BsonTimestamp eventTime = StreamReader.read(stream, 1).get(0).getClusterTime();

            BsonTimestamp first = operationTime();
            BsonTimestamp second = operationTime();

            assertEquals(eventTime, first, "operationTime after the last write");
            assertEquals(first, second, "operationTime does not move while nothing is written");
        }
    }

    @Test
    void operationTimeIncreasesWithEveryWrite() {
        MongoCollection<Document> things = client.getDatabase("handshake").getCollection("ticks");
        BsonTimestamp before = operationTime();
        things.insertOne(new Document("n", 1));
        BsonTimestamp middle = operationTime();
        things.insertOne(new Document("n", 2));
        BsonTimestamp after = operationTime();

        assertTrue(before.compareTo(middle) < 0, before + " < " + middle);
        assertTrue(middle.compareTo(after) < 0, middle + " < " + after);
    }

    @Test
    void listCollectionsWorksOnAdmin() {
        List<String> names = client.getDatabase("admin").listCollectionNames().into(new java.util.ArrayList<>());

        assertFalse(names.contains("system.namespaces"), "internal collections stay hidden: " + names);
    }

    @Test
    void transactionsAreRefusedInsteadOfRunningWithoutAtomicity() {
        MongoCollection<Document> things = client.getDatabase("handshake").getCollection("tx");
        try (var session = client.startSession()) {
            session.startTransaction();
            var error = org.junit.jupiter.api.Assertions.assertThrows(com.mongodb.MongoCommandException.class,
                () -> things.insertOne(session, new Document("_id", "in-tx")));
            assertEquals(20, error.getErrorCode());
        }
        assertEquals(0, things.countDocuments());
    }

    private static BsonTimestamp operationTime() {
        return client.getDatabase("admin").runCommand(new Document("hello", 1)).get("operationTime", BsonTimestamp.class);
    }
}
