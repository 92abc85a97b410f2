package io.changeover.control.cutover;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.bson.BsonValue;

import io.changeover.transform.spec.CollectionSpec;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.format.RawRecords;
import io.changeover.transform.topics.Topics;
import io.changeover.transform.topics.TopicProvisioner;

/**
 * The source documents changed since given raw-topic offsets: the ids in the keys of every raw record after them, per
 * source collection. Also takes the raw topics' current end offsets, which a full verification records.
 */
public final class ChangedDocuments implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(200);
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, String> collectionByTopic = new HashMap<>();

    public ChangedDocuments(MigrationSpec spec) {
        Properties props = new Properties();
        props.putAll(spec.kafka());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(TopicProvisioner.MAX_MESSAGE_BYTES));
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Topics topics = Topics.of(spec.name());
        for (CollectionSpec c : spec.collections()) {
            collectionByTopic.put(topics.raw(spec.source().database(), c.source()), c.source());
        }
    }

    /** The raw topics' end offsets now. */
    public Map<TopicPartition, Long> endOffsets() {
        return consumer.endOffsets(partitions());
    }

    /** Source ids per source collection in the raw records from {@code from} (absent partitions: from the start). */
    public Map<String, Set<BsonValue>> since(Map<TopicPartition, Long> from) {
        List<TopicPartition> partitions = partitions();
        consumer.assign(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        for (TopicPartition tp : partitions) {
            consumer.seek(tp, from.getOrDefault(tp, 0L));
        }
        Map<String, Set<BsonValue>> ids = new HashMap<>();
        while (behind(partitions, end)) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                if (r.key() != null && r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                    ids.computeIfAbsent(collectionByTopic.get(r.topic()), k -> new LinkedHashSet<>())
                            .add(RawRecords.id(r.key()));
                }
            }
        }
        return ids;
    }

    private boolean behind(List<TopicPartition> partitions, Map<TopicPartition, Long> end) {
        for (TopicPartition tp : partitions) {
            if (consumer.position(tp) < end.get(tp)) {
                return true;
            }
        }
        return false;
    }

    private List<TopicPartition> partitions() {
        List<TopicPartition> result = new ArrayList<>();
        for (String topic : collectionByTopic.keySet()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(15));
            if (infos != null) {
                infos.forEach(i -> result.add(new TopicPartition(topic, i.partition())));
            }
        }
        return result;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
