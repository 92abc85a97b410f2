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

/** The state survives the process: a second state machine on the same metadata collection resumes it. */
class MetadataStateStoreIT {

    @Test
    void restartedProcessResumesFromTheTargetsMetadata() {
        try (EmbeddedMongo server = EmbeddedMongo.start(); MongoClient client = MongoClients.create(server.connectionString())) {
            MongoCollection<BsonDocument> metadata = client.getDatabase("target").getCollection(MetadataCollection.DEFAULT_NAME, BsonDocument.class);
            MigrationStateMachine first = MigrationStateMachine.resume(new MetadataStateStore(metadata, "m1"), Clock.systemUTC());
            first.moveTo(MigrationState.STREAMING, "snapshot done");
            first.moveTo(MigrationState.PAUSED, "operator paused");

            MigrationStateMachine second = MigrationStateMachine.resume(new MetadataStateStore(metadata, "m1"), Clock.systemUTC());
            assertThat(second.state()).isEqualTo(MigrationState.PAUSED);
            assertThat(second.current().reason()).isEqualTo("operator paused");
            assertThat(metadata.countDocuments()).isEqualTo(1);

            assertThatThrownBy(() -> new MetadataStateStore(metadata, "other").load())
                    .hasMessageContaining("migration 'm1', not 'other'");
        }
    }
}
