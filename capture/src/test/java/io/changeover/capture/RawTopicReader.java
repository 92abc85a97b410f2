package io.changeover.capture;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a topic from the beginning, for integration tests; keeps every change event seen so far (not ticks). */
final class RawTopicReader implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    private final List<RawEvent> events = new ArrayList<>();

    RawTopicReader(String bootstrap, String topic) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        if (partitions.isEmpty()) {
            consumer.close();
            throw new AssertionError("topic " + topic + " does not exist");
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Polls until {@code done} holds for everything read so far; fails after {@code deadline}. */
    List<ConsumerRecord<byte[], byte[]>> readUntil(Predicate<List<ConsumerRecord<byte[], byte[]>>> done,
            Duration deadline, String what) {
        Instant end = Instant.now().plus(deadline);
        while (!done.test(records)) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("gave up after " + deadline + " waiting for " + what + "; read "
                        + records.size() + " records");
            }
            consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                if (r.key() != null) {
                    records.add(r);
                }
            });
        }
        return List.copyOf(records);
    }

    /** Like {@link #readUntil} on records parsed as raw change events. */
    List<RawEvent> readEventsUntil(Predicate<List<RawEvent>> done, Duration deadline, String what) {
        readUntil(rs -> done.test(parsed(rs)), deadline, what);
        return List.copyOf(events);
    }

    private List<RawEvent> parsed(List<ConsumerRecord<byte[], byte[]>> rs) {
        for (int i = events.size(); i < rs.size(); i++) {
            events.add(RawEvent.of(rs.get(i)));
        }
        return events;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
