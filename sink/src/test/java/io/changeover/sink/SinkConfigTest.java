package io.changeover.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import com.mongodb.WriteConcern;

class SinkConfigTest {

    @Test
    void defaultsToMajorityAndBoundedBatches() {
        SinkConfig config = SinkConfig.of(Map.of(), "spec.yaml");

        assertThat(config.writeConcern()).isEqualTo(WriteConcern.MAJORITY);
        assertThat(config.batchMaxRecords()).isEqualTo(1000);
        assertThat(config.batchMaxBytes()).isEqualTo(8L * 1024 * 1024);
    }

    @Test
    void acceptsNumbersAsYamlLoadsThem() {
        SinkConfig config = SinkConfig.of(Map.of("batch.max.records", 50, "write.concern", 1, "batch.max.bytes", 4096),
                null);

        assertThat(config.batchMaxRecords()).isEqualTo(50);
        assertThat(config.batchMaxBytes()).isEqualTo(4096L);
        assertThat(config.writeConcern()).isEqualTo(WriteConcern.W1);
    }

    @Test
    void refusesUnacknowledgedWrites() {
        assertThatThrownBy(() -> SinkConfig.of(Map.of("write.concern", "0"), "spec.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("write.concern");
    }

    @Test
    void refusesUnknownKeysNamingThemAndTheOrigin() {
        assertThatThrownBy(() -> SinkConfig.of(Map.of("batch.max.record", 5), "jobs.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("batch.max.record")
                .hasMessageContaining("jobs.yaml");
    }

    @Test
    void refusesABatchOfNoRecords() {
        assertThatThrownBy(() -> SinkConfig.of(Map.of("batch.max.records", 0), null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("batch.max.records");
    }

    @Test
    void everyKeyIsDocumented() {
        assertThat(SinkConfig.configDef().configKeys().values())
                .allSatisfy(key -> assertThat(key.documentation).isNotBlank());
    }
}
