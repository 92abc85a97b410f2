package io.changeover.control.lag;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import io.changeover.transform.format.SourcePosition;

/**
 * How old the oldest record a stage has not taken yet is, per partition: the position of the first committed record
 * at or after the stage's committed offset. A stage takes each partition in order, so that record is the oldest it
 * holds there (raw topics are in source order per partition; output records nearly so).
 */
final class OldestRecordReader {
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private final LagConsumer consumer;

    OldestRecordReader(LagConsumer consumer) {
        this.consumer = consumer;
    }

    /**
     * @param backlog    per partition, the records a stage has not committed
     * @param positionOf how a record of a topic says its position
     * @return the first record's position for every partition with records left; none for a partition whose records
     *         left were all aborted or compacted away
     */
    Map<TopicPartition, SourcePosition> positions(Map<TopicPartition, ConsumerGroupLag.Range> backlog,
                                                  Function<String, PositionOf> positionOf) {
        List<TopicPartition> wanted = backlog.entrySet().stream().filter(e -> e.getValue().records() > 0)
                .map(Map.Entry::getKey).toList();
        Map<TopicPartition, SourcePosition> result = new HashMap<>();
        if (wanted.isEmpty()) {
            return result;
        }
        KafkaConsumer<byte[], byte[]> kafka = consumer.get();
        kafka.assign(wanted);
        kafka.resume(wanted);   // paused by an earlier read
        wanted.forEach(tp -> kafka.seek(tp, backlog.get(tp).from()));
        Set<TopicPartition> open = new HashSet<>(wanted);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try {
            while (!open.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot read the oldest records held from Kafka within "
                            + TIMEOUT.toSeconds() + " s: " + open);
                }
                for (ConsumerRecord<byte[], byte[]> r : kafka.poll(POLL)) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    // a record past the end measured was written after the offsets were read: not part of the backlog
                    if (open.remove(tp) && r.offset() < backlog.get(tp).end()) {
                        result.put(tp, position(positionOf.apply(r.topic()), r));
                    }
                    kafka.pause(List.of(tp));
                }
                open.removeIf(tp -> kafka.position(tp) >= backlog.get(tp).end());
            }
        } finally {
            kafka.resume(kafka.paused());
        }
        return result;
    }

    private static SourcePosition position(PositionOf positionOf, ConsumerRecord<byte[], byte[]> r) {
        try {
            return positionOf.of(r);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot read the position of " + r.topic() + "-" + r.partition() + " offset "
                    + r.offset() + ": " + e.getMessage(), e);
        }
    }
}
