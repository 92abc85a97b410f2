package io.changeover.control.lag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import io.changeover.transform.format.WaitingDocuments;

/**
 * How many documents the transform holds waiting for {@code remap} answers, and since when, read from its
 * {@code remap-waiting} topics ({@code docs/topics.md}, "Waiting documents"); Kafka is all it needs, so {@code status}
 * and {@code cutover} in another process than the transform read the same figure. Each partition has one key, so its
 * latest committed record is its count: only the tail of each partition is read ({@code read_committed}, up to the
 * last stable offset), from further back only when the tail holds no committed record (aborted transactions, commit
 * markers).
 */
public final class WaitingDocumentsReader implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long FIRST_TAIL = 16;
    private final LagConsumer consumer;
    private final boolean ownsConsumer;
    private final List<String> topics;

    /** @param topics the {@code remap-waiting} topics of a spec ({@code TransformTopology.remapWaitingTopics}) */
    public WaitingDocumentsReader(Map<String, String> kafka, List<String> topics) {
        this(new LagConsumer(kafka), topics, true);
    }

    WaitingDocumentsReader(LagConsumer consumer, List<String> topics) {
        this(consumer, topics, false);
    }

    private WaitingDocumentsReader(LagConsumer consumer, List<String> topics, boolean ownsConsumer) {
        this.consumer = consumer;
        this.topics = List.copyOf(topics);
        this.ownsConsumer = ownsConsumer;
    }

    /** The documents waiting now, over every partition of every topic; 0 for topics not created yet. */
    public long waiting() {
        return counts().stream().mapToLong(WaitingDocuments::waiting).sum();
    }

    /** Per source collection, the documents waiting now and the position the longest-waiting one waits since. */
    public Map<String, Backlog> byCollection() {
        Map<String, Backlog> result = new HashMap<>();
        for (WaitingDocuments count : counts()) {
            result.merge(count.collection(), new Backlog(count.waiting(), count.oldest()), Backlog::plus);
        }
        return result;
    }

    /** The latest committed count of every partition that has one. */
    private List<WaitingDocuments> counts() {
        if (topics.isEmpty()) {
            return List.of();
        }
        KafkaConsumer<byte[], byte[]> kafka = consumer.get();
        List<TopicPartition> partitions = partitions(kafka);
        if (partitions.isEmpty()) {
            return List.of();
        }
        Map<TopicPartition, Long> begin = kafka.beginningOffsets(partitions);
        Map<TopicPartition, Long> end = kafka.endOffsets(partitions);   // the last stable offsets
        Map<TopicPartition, WaitingDocuments> latest = new HashMap<>();
        Set<TopicPartition> unread = new HashSet<>(partitions);
        unread.removeIf(tp -> end.get(tp) <= begin.get(tp));
        for (long tail = FIRST_TAIL; !unread.isEmpty(); tail *= 8) {
            long back = tail;
            kafka.assign(unread);
            unread.forEach(tp -> kafka.seek(tp, Math.max(begin.get(tp), end.get(tp) - back)));
            readToEnd(kafka, end, latest);
            unread.removeIf(tp -> latest.containsKey(tp) || end.get(tp) - back <= begin.get(tp));
        }
        return new ArrayList<>(latest.values());
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> kafka) {
        Map<String, List<PartitionInfo>> existing = kafka.listTopics(TIMEOUT);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            existing.getOrDefault(topic, List.of()).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        return partitions;
    }

    /** Reads the assigned partitions up to {@code end}, keeping each one's latest count. */
    private static void readToEnd(KafkaConsumer<byte[], byte[]> kafka, Map<TopicPartition, Long> end,
                                  Map<TopicPartition, WaitingDocuments> latest) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (kafka.assignment().stream().anyMatch(tp -> kafka.position(tp) < end.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("cannot read the transform's waiting documents from Kafka within "
                        + TIMEOUT.toSeconds() + " s: " + kafka.assignment());
            }
            for (ConsumerRecord<byte[], byte[]> r : kafka.poll(POLL)) {
                if (r.value() != null) {
                    latest.put(new TopicPartition(r.topic(), r.partition()), WaitingDocuments.read(r.value()));
                }
            }
        }
    }

    @Override
    public void close() {
        if (ownsConsumer) {
            consumer.close();
        }
    }
}
