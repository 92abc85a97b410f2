package io.changeover.control.lag;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumer-group lag from the Admin API: per partition, the last stable offset minus the group's committed offset.
 * A partition the group has not committed on yet counts from the partition's earliest offset.
 */
public final class ConsumerGroupLag {
    private static final long TIMEOUT_SECONDS = 15;
    private final Admin admin;

    public ConsumerGroupLag(Admin admin) {
        this.admin = admin;
    }

    /**
     * The records of one partition a group has not committed yet: from its committed offset (the partition's earliest
     * when it has none) to the last stable offset.
     */
    public record Range(long from, long end) {
        public long records() {
            return Math.max(0, end - from);
        }
    }

    /** Records in {@code topics} that {@code groupId} has not committed yet. Missing topics count as empty. */
    public long lag(String groupId, Collection<String> topics) {
        return backlog(groupId, topics).values().stream().mapToLong(Range::records).sum();
    }

    /** Per partition of {@code topics} (missing topics have none), the records {@code groupId} has not committed. */
    public Map<TopicPartition, Range> backlog(String groupId, Collection<String> topics) {
        List<TopicPartition> partitions = partitions(topics);
        Map<TopicPartition, Range> result = new HashMap<>();
        if (partitions.isEmpty()) {
            return result;
        }
        // committed first: a record consumed and answered (on another input topic) between the two reads then shows
        // as lag, so zero on several topics at once means none of them held work
        Map<TopicPartition, OffsetAndMetadata> committed = committed(groupId);
        Map<TopicPartition, Long> end = offsets(partitions, OffsetSpec.latest());
        Map<TopicPartition, Long> start = offsets(partitions, OffsetSpec.earliest());
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata c = committed.get(tp);
            long from = c != null ? c.offset() : start.getOrDefault(tp, 0L);
            result.put(tp, new Range(from, end.getOrDefault(tp, 0L)));
        }
        return result;
    }

    private List<TopicPartition> partitions(Collection<String> topics) {
        Map<String, TopicDescription> described = new HashMap<>();
        var existing = await(admin.listTopics().names());
        List<String> present = topics.stream().filter(existing::contains).toList();
        if (!present.isEmpty()) {
            described.putAll(await(admin.describeTopics(present).allTopicNames()));
        }
        List<TopicPartition> result = new ArrayList<>();
        described.forEach((name, d) -> d.partitions().forEach(p -> result.add(new TopicPartition(name, p.partition()))));
        return result;
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, ListOffsetsResultInfo> info =
                await(admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all());
        Map<TopicPartition, Long> result = new HashMap<>();
        info.forEach((tp, i) -> result.put(tp, i.offset()));
        return result;
    }

    private Map<TopicPartition, OffsetAndMetadata> committed(String groupId) {
        Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> raw = await(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
        raw.forEach((tp, o) -> {
            if (o != null) {
                result.put(tp, o);
            }
        });
        return result;
    }

    private static <T> T await(org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring lag", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot measure consumer-group lag from Kafka: " + e.getMessage(), e);
        }
    }
}
