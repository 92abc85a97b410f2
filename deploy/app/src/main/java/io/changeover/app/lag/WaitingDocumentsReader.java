package io.changeover.app.lag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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

import io.changeover.transform.format.WaitingDocuments;

/**
 * How many documents the transform holds waiting for {@code remap} answers, read from its {@code remap-waiting}
 * topics ({@code docs/topics.md}, "Waiting documents"); Kafka is all it needs, so {@code status} and {@code cutover}
 * in another process than the transform read the same figure. Each partition has one key, so its latest committed
 * record is its count: only the tail of each partition is read ({@code read_committed}, up to the last stable
 * offset), from further back only when the tail holds no committed record (aborted transactions, commit markers).
 */
public final class WaitingDocumentsReader {
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long FIRST_TAIL = 16;
    private final Map<String, String> kafka;
    private final List<String> topics;

    /** @param topics the {@code remap-waiting} topics of a spec ({@code TransformTopology.remapWaitingTopics}) */
    public WaitingDocumentsReader(Map<String, String> kafka, List<String> topics) {
        this.kafka = kafka;
        this.topics = List.copyOf(topics);
    }

    /** The documents waiting now, over every partition of every topic; 0 for topics not created yet. */
    public long waiting() {
        if (topics.isEmpty()) {
            return 0;
        }
        Properties props = new Properties();
        props.putAll(kafka);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // a tail read ends at the partition's end, where a fetch waits this long for more records (500 ms by default)
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = partitions(consumer);
            if (partitions.isEmpty()) {
                return 0;
            }
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);   // the last stable offsets
            Map<TopicPartition, Long> latest = new HashMap<>();
            Set<TopicPartition> unread = new HashSet<>(partitions);
            unread.removeIf(tp -> end.get(tp) <= begin.get(tp));
            for (long tail = FIRST_TAIL; !unread.isEmpty(); tail *= 8) {
                long back = tail;
                consumer.assign(unread);
                unread.forEach(tp -> consumer.seek(tp, Math.max(begin.get(tp), end.get(tp) - back)));
                readToEnd(consumer, end, latest);
                unread.removeIf(tp -> latest.containsKey(tp) || end.get(tp) - back <= begin.get(tp));
            }
            return latest.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer) {
        Map<String, List<PartitionInfo>> existing = consumer.listTopics(TIMEOUT);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            existing.getOrDefault(topic, List.of()).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        return partitions;
    }

    /** Reads the assigned partitions up to {@code end}, keeping each one's latest count. */
    private static void readToEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end,
                                  Map<TopicPartition, Long> latest) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (consumer.assignment().stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("cannot read the transform's waiting documents from Kafka within "
                        + TIMEOUT.toSeconds() + " s: " + consumer.assignment());
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                latest.put(tp, r.value() == null ? 0 : WaitingDocuments.read(r.value()).waiting());
            }
        }
    }
}
