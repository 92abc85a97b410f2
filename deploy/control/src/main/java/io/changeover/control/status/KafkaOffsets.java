package io.changeover.control.status;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/** Offsets and topic settings read through the Admin API, for status: how many records a topic holds or lost. */
public final class KafkaOffsets {
    private static final long TIMEOUT_SECONDS = 15;
    private final Admin admin;

    public KafkaOffsets(Admin admin) {
        this.admin = admin;
    }

    /** Per topic: earliest and latest (read-committed) offsets summed over its partitions. Missing topics are absent. */
    public Map<String, TopicRange> ranges(Collection<String> topics) {
        List<TopicPartition> partitions = partitions(topics);
        Map<String, TopicRange> result = new HashMap<>();
        if (partitions.isEmpty()) {
            return result;
        }
        Map<TopicPartition, Long> start = offsets(partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> end = offsets(partitions, OffsetSpec.latest());
        for (TopicPartition tp : partitions) {
            result.merge(tp.topic(), new TopicRange(start.getOrDefault(tp, 0L), end.getOrDefault(tp, 0L)), TopicRange::plus);
        }
        return result;
    }

    /** The group's committed offsets summed over the given topics' partitions (0 where it has none). */
    public long committed(String groupId, Collection<String> topics) {
        Set<String> wanted = Set.copyOf(topics);
        Map<TopicPartition, OffsetAndMetadata> raw = await(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
        long sum = 0;
        for (var e : raw.entrySet()) {
            if (e.getValue() != null && wanted.contains(e.getKey().topic())) {
                sum += e.getValue().offset();
            }
        }
        return sum;
    }

    /** Each existing topic's {@code retention.ms} (-1 is forever). */
    public Map<String, Long> retentionMs(Collection<String> topics) {
        Set<String> existing = await(admin.listTopics().names());
        List<ConfigResource> resources = topics.stream().filter(existing::contains)
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<String, Long> result = new HashMap<>();
        if (resources.isEmpty()) {
            return result;
        }
        Map<ConfigResource, Config> configs = await(admin.describeConfigs(resources).all());
        configs.forEach((resource, config) -> {
            ConfigEntry entry = config.get(TopicConfig.RETENTION_MS_CONFIG);
            result.put(resource.name(), entry == null || entry.value() == null ? -1L : Long.parseLong(entry.value()));
        });
        return result;
    }

    private List<TopicPartition> partitions(Collection<String> topics) {
        Set<String> existing = await(admin.listTopics().names());
        List<String> present = topics.stream().filter(existing::contains).distinct().toList();
        List<TopicPartition> result = new ArrayList<>();
        if (present.isEmpty()) {
            return result;
        }
        await(admin.describeTopics(present).allTopicNames())
                .forEach((name, d) -> d.partitions().forEach(p -> result.add(new TopicPartition(name, p.partition()))));
        return result;
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, Long> result = new HashMap<>();
        await(admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all())
                .forEach((tp, info) -> result.put(tp, info.offset()));
        return result;
    }

    private static <T> T await(KafkaFuture<T> future) {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading Kafka offsets", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read offsets or topic settings from Kafka: " + e.getMessage(), e);
        }
    }

    /**
     * Offsets of a topic summed over its partitions.
     *
     * @param earliest first offset still held (above 0 once retention deleted records)
     * @param latest   next offset to be written
     */
    public record TopicRange(long earliest, long latest) {
        TopicRange plus(TopicRange other) {
            return new TopicRange(earliest + other.earliest, latest + other.latest);
        }

        public long records() {
            return latest - earliest;
        }
    }
}
