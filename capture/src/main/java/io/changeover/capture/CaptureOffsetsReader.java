package io.changeover.capture;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;


import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.topics.Topics;

/**
 * The capture's durable position, read from its Kafka offsets topic (Debezium's MongoDB offset: {@code sec},
 * {@code ord}, {@code resume_token}). Used by {@code changeover status} and {@code cutover}, which run in another
 * process than the capture, and by a PostgreSQL capture starting again (its positions never fall below it). The offsets topic is compacted and small: it is read whole once, then only what was
 * added since the previous read, by one consumer kept open (a new consumer per read cost about half a second).
 */
public final class CaptureOffsetsReader implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, String> kafka;
    private final Topics topics;
    private KafkaConsumer<byte[], byte[]> consumer;
    private List<TopicPartition> partitions = List.of();
    private SourcePosition latest = SourcePosition.ZERO;

    public CaptureOffsetsReader(Map<String, String> kafka, Topics topics) {
        this.kafka = kafka;
        this.topics = topics;
    }

    /** The last committed capture position, or {@link SourcePosition#ZERO} if the capture never committed one. */
    public synchronized SourcePosition position() {
        if (partitions.isEmpty() && !assign()) {
            return SourcePosition.ZERO;
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (!reachedEnd(consumer, partitions, end)) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                SourcePosition p = parse(r.value());
                if (p.compareTo(latest) > 0) {
                    latest = p;
                }
            }
        }
        return latest;
    }

    private boolean assign() {
        if (consumer == null) {
            Properties props = new Properties();
            props.putAll(kafka);
            props.remove(ConsumerConfig.GROUP_ID_CONFIG);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            // a read that reaches the end waits this long for more records (500 ms by default)
            props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
            consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        List<PartitionInfo> infos = consumer.partitionsFor(topics.captureOffsets(), Duration.ofSeconds(15));
        if (infos == null || infos.isEmpty()) {
            return false;
        }
        partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return true;
    }

    @Override
    public synchronized void close() {
        if (consumer != null) {
            consumer.close();
            consumer = null;
        }
    }

    /**
     * Parses one Debezium MongoDB offset value (its cluster time, or the time inside its resume token when the offset
     * has none, as snapshot and heartbeat offsets do); {@link SourcePosition#ZERO} when it has neither.
     */
    static SourcePosition parse(byte[] value) {
        if (value == null) {
            return SourcePosition.ZERO;
        }
        try {
            Map<String, Object> offset = JSON.readValue(value, new TypeReference<Map<String, Object>>() { });
            return SourcePositions.fromOffset(offset).orElse(SourcePosition.ZERO);
        } catch (IOException e) {
            throw new IllegalStateException("capture offsets topic holds a value that is not JSON: " + e.getMessage(), e);
        }
    }

    private static boolean reachedEnd(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions, Map<TopicPartition, Long> end) {
        for (TopicPartition tp : partitions) {
            if (consumer.position(tp) < end.get(tp)) {
                return false;
            }
        }
        return true;
    }
}
