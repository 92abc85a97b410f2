package io.changeover.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class CaptureConfigTest {
    private static final Map<String, String> KAFKA = Map.of("bootstrap.servers", "localhost:9092");

    @Test
    void defaultsAreUsableForAnOnlineMigration() {
        CaptureConfig config = new CaptureConfig(Map.of(), KAFKA);

        assertThat(config.heartbeatIntervalMs()).isEqualTo(1000);
        assertThat(config.rawTopicPartitions()).isEqualTo(4);
        assertThat(config.replicationFactor()).as("the broker's default, as for the transform and sink").isEqualTo((short) -1);
        assertThat(config.snapshotMode()).isEqualTo("initial");
        assertThat(config.maxQueueSize()).isGreaterThan(config.maxBatchSize());
        assertThat(config.bootstrapServers()).isEqualTo("localhost:9092");
    }

    @Test
    void acceptsNumbersAsYamlGivesThem() {
        CaptureConfig config = new CaptureConfig(Map.of("topic.replication.factor", 3, "poll.interval.ms", 20,
                "raw.topic.partitions", "8"), KAFKA);

        assertThat(config.replicationFactor()).isEqualTo((short) 3);
        assertThat(config.pollIntervalMs()).isEqualTo(20L);
        assertThat(config.rawTopicPartitions()).isEqualTo(8);
    }

    @Test
    void rejectsAReplicationFactorOfZeroNamingTheKey() {
        assertThatThrownBy(() -> new CaptureConfig(Map.of("topic.replication.factor", 0), KAFKA))
                .isInstanceOf(ConfigException.class).hasMessageContaining("topic.replication.factor");
    }

    @Test
    void rejectsAnUnknownSnapshotModeNamingTheKey() {
        assertThatThrownBy(() -> new CaptureConfig(Map.of("snapshot.mode", "schema_only"), KAFKA))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("snapshot.mode")
                .hasMessageContaining("schema_only");
    }

    @Test
    void rejectsOutOfRangeValuesNamingTheKey() {
        assertThatThrownBy(() -> new CaptureConfig(Map.of("raw.topic.partitions", 0), KAFKA))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("raw.topic.partitions");
    }

    @Test
    void rejectsATypoInsteadOfIgnoringIt() {
        assertThatThrownBy(() -> new CaptureConfig(Map.of("heartbeat.interval", 500), KAFKA))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("heartbeat.interval")
                .hasMessageContaining("heartbeat.interval.ms");
    }

    @Test
    void queueMustBeLargerThanBatch() {
        assertThatThrownBy(() -> new CaptureConfig(Map.of("max.batch.size", 4096, "max.queue.size", 4096), KAFKA))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("max.queue.size")
                .hasMessageContaining("max.batch.size");
    }

    @Test
    void needsBootstrapServers() {
        assertThatThrownBy(() -> new CaptureConfig(Map.of(), Map.of("acks", "all")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bootstrap.servers");
    }

    @Test
    void debeziumPrefixedKeysArePassedThroughWithoutThePrefix() {
        CaptureConfig config = new CaptureConfig(Map.of("debezium.cursor.max.await.time.ms", 200), KAFKA);

        assertThat(config.debeziumOverrides()).containsEntry("cursor.max.await.time.ms", "200");
    }

    @Test
    void everyKeyIsDocumented() {
        CaptureConfig.configDef().configKeys().values()
                .forEach(k -> assertThat(k.documentation).as(k.name).isNotBlank());
    }
}
