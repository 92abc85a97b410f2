package io.changeover.control.status;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.changeover.transform.format.DeadLetters;

/**
 * Counts the records in the dead-letter topic by reading it (committed records only): offsets alone over-count, since
 * the transform writes transactionally and every commit marker takes an offset. Reads only what is new since the
 * previous count, and keeps the latest few (stage, collection, reason) for the operator page.
 */
public final class DeadLetterCount implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(200);
    /** How many of the latest dead letters are kept. */
    public static final int LATEST = 5;
    private final Deque<Sample> latest = new ArrayDeque<>();
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
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                count++;
                latest.addLast(Sample.of(r));
                if (latest.size() > LATEST) {
                    latest.removeFirst();
                }
            }
        }
        return count;
    }

    /** The latest dead letters read by {@link #count()}, newest last. */
    public synchronized List<Sample> latest() {
        return List.copyOf(latest);
    }

    /**
     * One dead letter, as its headers describe it ({@code docs/topics.md}).
     *
     * @param stage      the stage that rejected it
     * @param collection the collection it belongs to
     * @param reason     why
     * @param at         when it was written
     */
    public record Sample(String stage, String collection, String reason, Instant at) {
        static Sample of(ConsumerRecord<byte[], byte[]> r) {
            return new Sample(header(r.headers(), DeadLetters.STAGE), header(r.headers(), DeadLetters.COLLECTION),
                    header(r.headers(), DeadLetters.REASON), Instant.ofEpochMilli(r.timestamp()));
        }

        private static String header(Headers headers, String name) {
            Header h = headers.lastHeader(name);
            return h == null || h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
        }
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
