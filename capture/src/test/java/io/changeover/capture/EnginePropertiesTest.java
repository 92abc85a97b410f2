package io.changeover.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.topics.Topics;

class EnginePropertiesTest {
    private final MigrationSpec spec = TestSpecs.spec("orders", "mongodb://src:27017/?replicaSet=rs0", "legacy",
            "kafka:9092", Map.of("heartbeat.interval.ms", 250, "snapshot.mode", "no_data"), "jobs", "jobs.v2");

    @Test
    void capturesChangeStreamsWithFullDocumentsOfTheSpecCollectionsOnly() {
        Properties p = EngineProperties.of(spec, CaptureConfig.from(spec));

        assertThat(p).containsEntry("connector.class", "io.debezium.connector.mongodb.MongoDbConnector")
                .containsEntry("mongodb.connection.string", "mongodb://src:27017/?replicaSet=rs0")
                .containsEntry("capture.mode", "change_streams_update_full")
                .containsEntry("database.include.list", "legacy")
                .containsEntry("collection.include.list", "legacy\\.jobs,legacy\\.jobs\\.v2")
                .containsEntry("snapshot.mode", "no_data")
                .containsEntry("heartbeat.interval.ms", "250")
                .containsEntry("tombstones.on.delete", "false")
                .containsEntry("topic.prefix", Topics.of("orders").captureLogicalName());
    }

    @Test
    void storesOffsetsInTheKafkaOffsetsTopicNotAFile() {
        Properties p = EngineProperties.of(spec, CaptureConfig.from(spec));

        assertThat(p).containsEntry("offset.storage", KafkaOffsetStore.class.getName())
                .containsEntry("offset.storage.topic", Topics.of("orders").captureOffsets())
                .containsEntry("offset.storage.partitions", "1")
                .containsEntry("bootstrap.servers", "kafka:9092")
                .doesNotContainKey("offset.storage.file.filename");
    }

    @Test
    void theOffsetStoreIsKafkaConnectsKafkaStore() {
        assertThat(org.apache.kafka.connect.storage.KafkaOffsetBackingStore.class)
                .isAssignableFrom(KafkaOffsetStore.class);
    }

    @Test
    void theOffsetStoreAdminGetsSecuritySettingsButNotUnrelatedKeys() {
        Map<String, Object> admin = KafkaOffsetStore.adminProperties(Map.of("bootstrap.servers", "k:9093",
                "security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN", "capture.mode", "change_streams"), "x");

        assertThat(admin).containsEntry("bootstrap.servers", "k:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("client.id", "x-admin")
                .doesNotContainKey("capture.mode");
    }

    @Test
    void debeziumOverridesWin() {
        MigrationSpec withOverride = TestSpecs.spec("orders", "mongodb://src", "legacy", "kafka:9092",
                Map.of("debezium.capture.mode", "change_streams"), "jobs");

        assertThat(EngineProperties.of(withOverride, CaptureConfig.from(withOverride)))
                .containsEntry("capture.mode", "change_streams");
    }

    @Test
    void escapedNamesMatchThemselvesOnly() {
        for (String name : Arrays.asList("legacy.jobs", "a+b(c)", "x,y", "db.$weird*[1]", "plain_name")) {
            Pattern p = Pattern.compile(EngineProperties.escapeRegex(name));
            assertThat(p.matcher(name).matches()).as(name).isTrue();
        }
        assertThat(Pattern.compile(EngineProperties.escapeRegex("legacy.jobs")).matcher("legacyXjobs").matches())
                .isFalse();
        assertThat(Pattern.compile(EngineProperties.escapeRegex("a+b")).matcher("aab").matches()).isFalse();
    }
}
