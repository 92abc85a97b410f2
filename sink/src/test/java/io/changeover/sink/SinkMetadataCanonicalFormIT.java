package io.changeover.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bson.BsonDocument;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

import io.changeover.embedded.mongo.MongoUnderTest;

/** A migration in flight keeps the canonical form its content-derived ids were computed with. */
class SinkMetadataCanonicalFormIT {
    private static MongoUnderTest mongo;
    private static MongoClient client;
    private MongoDatabase target;
    private SinkMetadata metadata;

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

    @BeforeEach
    void newTarget(TestInfo test) {
        target = client.getDatabase("canonical_" + test.getTestMethod().orElseThrow().getName());
        metadata = new SinkMetadata(target, "changeover_metadata", WriteConcern.MAJORITY);
    }

    @Test
    void theFormIsRecordedAndARestartWithTheSameFormGoesOn() {
        metadata.registerMigration("m", "c1", "1", "v1", true);
        metadata.registerMigration("m", "c2", "1", "v1", true);
        assertThat(migration().getString("canonicalForm").getValue()).isEqualTo("v1");
    }

    @Test
    void aSpecThatChangesTheFormOfAMigrationInFlightIsRefused() {
        metadata.registerMigration("m", "c1", "1", "v0", true);
        assertThatThrownBy(() -> metadata.registerMigration("m", "c2", "1", "v1", true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in flight with canonical form v0").hasMessageContaining("canonical: v0");
        assertThat(migration().getString("specChecksum").getValue()).isEqualTo("c1");
    }

    @Test
    void aMigrationRecordedBeforeFormsWereRecordedRanWithV0() {
        target.getCollection("changeover_metadata", BsonDocument.class).insertOne(new BsonDocument("_id",
                new BsonString("migration")).append("name", new BsonString("m")));
        assertThatThrownBy(() -> metadata.registerMigration("m", "c2", "1", "v1", true))
                .hasMessageContaining("in flight with canonical form v0");
        metadata.registerMigration("m", "c2", "1", "v0", true);
        assertThat(migration().getString("canonicalForm").getValue()).isEqualTo("v0");
    }

    @Test
    void aSpecWithoutRehashIdIsNotHeldToTheForm() {
        metadata.registerMigration("m", "c1", "1", "v0", false);
        metadata.registerMigration("m", "c2", "1", "v1", false);
        assertThat(migration().getString("canonicalForm").getValue()).isEqualTo("v1");
    }

    private BsonDocument migration() {
        return target.getCollection("changeover_metadata", BsonDocument.class).find(Filters.eq("_id", "migration")).first();
    }
}
