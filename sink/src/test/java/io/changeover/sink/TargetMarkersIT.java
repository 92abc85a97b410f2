package io.changeover.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

import io.changeover.embedded.mongo.MongoUnderTest;

/** What services read after cutover: the migrated documents exactly, without the sink's markers. */
class TargetMarkersIT {
    private static MongoUnderTest mongo;
    private static MongoClient client;

    @BeforeAll
    static void startMongo() {
        mongo = MongoUnderTest.start();
        client = MongoClients.create(mongo.uri());
    }

    @AfterAll
    static void stopMongo() {
        client.close();
        mongo.close();
    }

    @Test
    void documentsWithDollarPrefixedAndDottedTopLevelNamesAreLeftExactlyAsMigrated() {
        MongoDatabase target = client.getDatabase("markers_dollar_and_dotted");
        BsonDocument dollar = new BsonDocument("_id", new BsonInt32(1)).append("$price", new BsonInt32(5))
                .append("a", new BsonString("$notAPath"));
        BsonDocument dotted = new BsonDocument("_id", new BsonInt32(2)).append("a.b", new BsonInt32(1));
        new BulkApplier(target, WriteConcern.MAJORITY, "changeover_tombstones")
                .apply("c", List.of(Records.record(1, new BsonInt32(1), dollar),
                        Records.record(2, new BsonInt32(2), dotted), Records.delete(3, 3)));

        TargetMarkers.strip(target, List.of("c"), "changeover_tombstones");

        List<BsonDocument> stored = target.getCollection("c", BsonDocument.class).find()
                .sort(new BsonDocument("_id", new BsonInt32(1))).into(new ArrayList<>());
        assertThat(stored).containsExactly(dollar, dotted);
        assertThat(stored.get(0).keySet()).containsExactly("_id", "$price", "a");
        assertThat(target.listCollectionNames().into(new ArrayList<>())).doesNotContain("changeover_tombstones");
    }
}
