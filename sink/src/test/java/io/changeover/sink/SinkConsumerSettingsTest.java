package io.changeover.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.changeover.transform.spec.CollectionSpec;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.topics.Topics;

class SinkConsumerSettingsTest {

    @Test
    void theSinksGuaranteesOverrideSharedKafkaSettings() {
        Map<String, String> kafka = Map.of("bootstrap.servers", "broker:9092", "enable.auto.commit", "true",
                "isolation.level", "read_uncommitted", "group.id", "someone-else", "security.protocol", "SSL");

        Map<String, Object> props = SinkConsumerSettings.of(kafka, SinkConfig.of(Map.of("max.poll.records", 77), null),
                Topics.of("m1"));

        assertThat(props).containsEntry("bootstrap.servers", "broker:9092").containsEntry("security.protocol", "SSL")
                .containsEntry("enable.auto.commit", false).containsEntry("isolation.level", "read_committed")
                .containsEntry("group.id", Topics.of("m1").sinkGroupId()).containsEntry("auto.offset.reset", "earliest")
                .containsEntry("max.poll.records", 77);
    }

    @Test
    void readsOneOutputTopicPerTargetCollection() {
        MigrationSpec spec = new MigrationSpec("m1", new MigrationSpec.Endpoint("mongodb://s", "legacy"),
                new MigrationSpec.Endpoint("mongodb://t", "next"), Map.of(), Map.of(), Map.of(), Map.of(),
                List.of(new CollectionSpec("jobs", "completed_jobs", List.of()),
                        new CollectionSpec("old_jobs", "completed_jobs", List.of()),
                        new CollectionSpec("users", null, List.of())),
                "sum", "spec.yaml");
        Topics topics = Topics.of("m1");

        assertThat(SinkRunner.collectionByTopic(spec, topics)).containsExactly(
                Map.entry(topics.output("completed_jobs"), "completed_jobs"),
                Map.entry(topics.output("users"), "users"));
    }
}
