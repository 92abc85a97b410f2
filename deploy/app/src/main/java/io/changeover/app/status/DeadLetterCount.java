package io.changeover.app.status;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts the records in the dead-letter topic by reading it (committed records only): offsets alone over-count, since
 * the transform writes transactionally and every commit marker takes an offset. Reads only what is new since the
 * previous count.
 */
public final class DeadLetterCount implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(200);
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private List<TopicPartition> partitions = List.of();
    private long count;

    public DeadLetterCount(Map<String, String> kafka, String topic) {
        Properties props = new Properties();
        props.putAll(kafka);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(64 * 1024 * 1024));
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
    }

    /** Dead letters so far (0 while the topic does not exist). */
    public synchronized long count() {
        if (partitions.isEmpty() && !assign()) {
            return 0;
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (behind(end)) {
            count += consumer.poll(POLL).count();
        }
        return count;
    }

    private boolean assign() {
        List<PartitionInfo> infos = consumer.listTopics(Duration.ofSeconds(15)).get(topic);
        if (infos == null || infos.isEmpty()) {
            return false;
        }
        partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return true;
    }

    private boolean behind(Map<TopicPartition, Long> end) {
        for (TopicPartition tp : partitions) {
            if (consumer.position(tp) < end.get(tp)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}
