package io.changeover.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;

class TransformConfigTest {
    private static MigrationSpec spec(String transform) {
        return SpecLoader.parse("""
                migration: demo
                source: {uri: "mongodb://a", database: legacy}
                target: {uri: "mongodb://b", database: refactored}
                kafka: {bootstrap.servers: "k:9092", client.id: x}
                transform: %s
                collections: {jobs: }
                """.formatted(transform), "demo.yaml");
    }

    @Test
    void defaultsAreExactlyOnceWithLowCommitInterval() {
        MigrationSpec spec = spec("{}");
        Properties props = TransformConfig.of(spec).streamsProperties(spec);
        assertThat(props.get("processing.guarantee")).isEqualTo("exactly_once_v2");
        assertThat(props.get("commit.interval.ms")).isEqualTo(100L);
        assertThat(props.get("application.id")).isEqualTo("changeover-demo-transform");
        assertThat(props.get("bootstrap.servers")).isEqualTo("k:9092");
        assertThat(props.get("client.id")).isEqualTo("x");
        assertThat(props).doesNotContainKey("state.dir");
    }

    @Test
    void settingsAndStreamsOverridesReachKafkaStreams() {
        MigrationSpec spec = spec("{num.stream.threads: 2, state.dir: /var/lib/x, processing.guarantee: exactly_once_v2,"
                + " streams.max.poll.records: 50}");
        Properties props = TransformConfig.of(spec).streamsProperties(spec);
        assertThat(props.get("num.stream.threads")).isEqualTo(2);
        assertThat(props.get("state.dir")).isEqualTo("/var/lib/x");
        assertThat(props.get("processing.guarantee")).isEqualTo("exactly_once_v2");
        assertThat(props.get("max.poll.records")).isEqualTo(50);
    }

    @Test
    void atLeastOnceIsRefusedAsASettingAndAsAStreamsOverride() {
        assertThatThrownBy(() -> new TransformConfig(Map.of("processing.guarantee", "at_least_once")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("processing.guarantee")
                .hasMessageContaining("at_least_once");
        assertThatThrownBy(() -> new TransformConfig(Map.of("streams.processing.guarantee", "at_least_once")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("streams.processing.guarantee")
                .hasMessageContaining("exactly_once_v2 only");
    }

    @Test
    void badValuesAndUnknownKeysAreRejectedByName() {
        assertThatThrownBy(() -> new TransformConfig(Map.of("processing.guarantee", "exactly_once")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("processing.guarantee");
        assertThatThrownBy(() -> new TransformConfig(Map.of("num.stream.thread", 2)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'num.stream.thread'");
        assertThatThrownBy(() -> new TransformConfig(Map.of("topic.replication.factor", 0)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("topic.replication.factor");
        assertThatThrownBy(() -> new TransformConfig(Map.of("num.stream.threads", 0)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("num.stream.threads");
    }

    @Test
    void everyKeyIsDocumented() {
        TransformConfig.configDef().configKeys().values()
                .forEach(key -> assertThat(key.documentation).as(key.name).isNotBlank());
    }
}
