package io.changeover.transform.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.changeover.embedded.kafka.EmbeddedKafka;

/**
 * Topics the provisioner returns are writable: an idempotent producer that starts writing at once, with several
 * requests in flight per partition, loses nothing. Before the provisioner waited for every partition's leader to
 * serve it, a first request could reach the leader before it had applied the new partition and be refused, a later
 * one be appended, and the first then be retried as out of order until its delivery timed out (KAFKA-15591, fixed
 * in Kafka 4.5).
 */
class TopicProvisionerIT {
    private static final int TOPICS = 8;
    private static final int PARTITIONS = 3;
    private static final int RECORDS = 300;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void aProducerWritingAtOnceIntoNewTopicsLosesNothing() throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()));
             KafkaProducer<byte[], byte[]> producer = eagerProducer()) {
            TopicProvisioner provisioner = new TopicProvisioner(admin, (short) 1);
            for (int round = 0; round < 3; round++) {
                List<NewTopic> topics = new ArrayList<>();
                for (int t = 0; t < TOPICS; t++) {
                    topics.add(provisioner.retained("provisioned-" + round + "-" + t, PARTITIONS));
                }
                provisioner.ensure(topics);
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                for (int i = 0; i < RECORDS; i++) {
                    for (NewTopic topic : topics) {
                        sent.add(producer.send(new ProducerRecord<>(topic.name(), i % PARTITIONS, null, new byte[100])));
                    }
                }
                producer.flush();
                for (Future<RecordMetadata> f : sent) {
                    f.get(); // fails with the producer's delivery timeout when a batch was lost
                }
                Map<TopicPartition, OffsetSpec> ends = new java.util.HashMap<>();
                topics.forEach(t -> { for (int p = 0; p < PARTITIONS; p++) { ends.put(new TopicPartition(t.name(), p), OffsetSpec.latest()); } });
                long total = admin.listOffsets(ends).all().get().values().stream().mapToLong(r -> r.offset()).sum();
                assertThat(total).isEqualTo((long) TOPICS * RECORDS);
            }
        }
    }

    @Test
    void newTopicsGetSettingsThatKeepTheirData() throws Exception {
        try (Admin admin = admin()) {
            TopicProvisioner provisioner = new TopicProvisioner(admin, (short) 1);
            provisioner.ensure(List.of(provisioner.retained("kept-raw", 1), provisioner.compacted("kept-out", 1)));

            Map<String, String> raw = settings(admin, "kept-raw");
            assertThat(raw).containsEntry(TopicConfig.RETENTION_MS_CONFIG, "-1")
                    .containsEntry(TopicConfig.RETENTION_BYTES_CONFIG, "-1")
                    .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "delete");
            assertThat(settings(admin, "kept-out")).containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "compact")
                    .containsEntry(TopicConfig.DELETE_RETENTION_MS_CONFIG,
                            String.valueOf(TopicProvisioner.TOMBSTONE_RETENTION_MS));
        }
    }

    @Test
    void existingTopicsWhoseSettingsWouldLoseDataAreRefusedNamingTopicAndSetting() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(
                    new NewTopic("lossy-raw", 1, (short) 1).configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "86400000")),
                    new NewTopic("lossy-out", 1, (short) 1).configs(Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG, "compact", TopicConfig.DELETE_RETENTION_MS_CONFIG, "3600000")),
                    new NewTopic("lossy-remap", 1, (short) 1).configs(Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG, "compact")))).all().get();
            TopicProvisioner provisioner = new TopicProvisioner(admin, (short) 1);

            assertThatThrownBy(() -> provisioner.ensure(List.of(provisioner.retained("lossy-raw", 1),
                    provisioner.compacted("lossy-out", 1), provisioner.retained("lossy-remap", 1))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("topic 'lossy-raw': retention.ms is 86400000")
                    .hasMessageContaining("topic 'lossy-out': delete.retention.ms is 3600000")
                    .hasMessageContaining("topic 'lossy-remap': cleanup.policy is compact")
                    .hasMessageContaining("kafka-configs.sh --alter");
        }
    }

    private static Admin admin() {
        return Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()));
    }

    private static Map<String, String> settings(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Map<String, String> settings = new java.util.HashMap<>();
        admin.describeConfigs(List.of(resource)).all().get().get(resource).entries()
                .forEach(e -> settings.put(e.name(), e.value()));
        return settings;
    }

    /** Small batches, no linger, five requests in flight: the first requests race the new partitions' leaders. */
    private static KafkaProducer<byte[], byte[]> eagerProducer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.BATCH_SIZE_CONFIG, 512,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000),
                new ByteArraySerializer(), new ByteArraySerializer());
    }
}
