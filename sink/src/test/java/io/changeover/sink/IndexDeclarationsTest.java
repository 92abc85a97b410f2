package io.changeover.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

class IndexDeclarationsTest {
    @Test
    void readsCollectionsKeysDirectionsAndUniqueness() {
        IndexDeclarations d = IndexDeclarations.parse("jobs: status, submitted_at:-1; users: email unique;");

        assertThat(d.indexes()).containsExactly(
                new IndexDeclarations.Index("jobs", BsonDocument.parse("{status: 1, submitted_at: -1}"), false),
                new IndexDeclarations.Index("users", BsonDocument.parse("{email: 1}"), true));
    }

    @Test
    void aWrongDeclarationIsRefusedAtStartupNamingIt() {
        assertThatThrownBy(() -> SinkConfig.of(Map.of("indexes", "jobs status"), "spec.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("jobs status");
        assertThatThrownBy(() -> SinkConfig.of(Map.of("indexes", "jobs: status:2"), "spec.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("status:2");
        assertThatThrownBy(() -> SinkConfig.of(Map.of("indexes.create", "later"), "spec.yaml"))
                .isInstanceOf(ConfigException.class);
    }
}
