package io.changeover.control.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import io.changeover.embedded.mongo.EmbeddedMongo;
import io.changeover.embedded.postgres.LocalPostgres;
import io.changeover.transform.spec.PostgresConnections;

/** The state survives the process: a second state machine on the same metadata resumes it, in either target. */
class MetadataStateStoreIT {

    @Test
    void restartedProcessResumesFromTheTargetsMetadata() {
        try (EmbeddedMongo server = EmbeddedMongo.start(); MongoClient client = MongoClients.create(server.connectionString())) {
            MongoCollection<BsonDocument> collection = client.getDatabase("target").getCollection(MetadataCollection.DEFAULT_NAME, BsonDocument.class);
            resumes(new MongoMetadataDocuments(collection));
            assertThat(collection.countDocuments()).isEqualTo(1);
        }
    }

    @Test
    void aPostgresTargetKeepsTheStateInItsMetadataTable() {
        try (LocalPostgres postgres = LocalPostgres.start()) {
            postgres.createDatabase("target");
            resumes(new PostgresMetadataDocuments(new PostgresConnections(postgres.uri("target")),
                    MetadataCollection.DEFAULT_NAME));
        }
    }

    private static void resumes(MetadataDocuments metadata) {
        MigrationStateMachine first = MigrationStateMachine.resume(new MetadataStateStore(metadata, "m1"), Clock.systemUTC());
        first.moveTo(MigrationState.STREAMING, "snapshot done");
        first.moveTo(MigrationState.PAUSED, "operator paused");

        MigrationStateMachine second = MigrationStateMachine.resume(new MetadataStateStore(metadata, "m1"), Clock.systemUTC());
        assertThat(second.state()).isEqualTo(MigrationState.PAUSED);
        assertThat(second.current().reason()).isEqualTo("operator paused");
        assertThat(second.current().since()).as("kept to the millisecond")
                .isEqualTo(first.current().since().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));

        assertThatThrownBy(() -> new MetadataStateStore(metadata, "other").load())
                .hasMessageContaining("migration 'm1', not 'other'");
    }
}
