package io.changeover.transform.topics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the topics a stage writes to, if missing. Existing topics are left as they are.
 *
 * <p>Every topic accepts records up to {@link #MAX_MESSAGE_BYTES}: a MongoDB document may be 16 MiB of BSON, which
 * grows by about a third as extended JSON (binaries in base64), and Kafka's default limit is 1 MiB.
 */
public final class TopicProvisioner {
    /** Largest record any Changeover topic accepts, and the producers' {@code max.request.size}. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    private static final long LEADER_WAIT_MS = 30_000;
    private static final String MAX_BYTES = String.valueOf(MAX_MESSAGE_BYTES);
    private final Admin admin;
    private final short replicationFactor;

    public TopicProvisioner(Admin admin, short replicationFactor) {
        this.admin = admin;
        this.replicationFactor = replicationFactor;
    }

    /**
     * How long a compacted topic keeps a delete's tombstone once compacted: the longest a stage reading it may be
     * down and still see every delete (docs/topics.md#retention).
     */
    public static final long TOMBSTONE_RETENTION_MS = 7L * 24 * 60 * 60 * 1000;

    /**
     * A topic kept forever: raw topics (retained so transforms can be replayed), the dead-letter topic, and the
     * internal topics between the transform's sub-topologies ({@code remap}, {@code resolved}, {@code dedupe}),
     * whose records must not expire before they are read however long the transform is down.
     */
    public NewTopic retained(String name, int partitions) {
        return new NewTopic(name, partitions, replicationFactor)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, "-1", TopicConfig.RETENTION_BYTES_CONFIG, "-1",
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, MAX_BYTES));
    }

    /**
     * A compacted topic (output topics, offsets: the latest value per key), whose tombstones outlive a reader down
     * for up to {@link #TOMBSTONE_RETENTION_MS}.
     */
    public NewTopic compacted(String name, int partitions) {
        return new NewTopic(name, partitions, replicationFactor)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.DELETE_RETENTION_MS_CONFIG, String.valueOf(TOMBSTONE_RETENTION_MS),
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, MAX_BYTES));
    }

    /** A topic with the broker's default retention (heartbeats: only the latest matters, and only for a while). */
    public NewTopic plain(String name, int partitions) {
        return new NewTopic(name, partitions, replicationFactor)
                .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, MAX_BYTES));
    }

    /**
     * Creates each topic that does not exist yet, waits until every partition of every named topic is served by its
     * leader (another stage may have created one a moment ago), then refuses topics whose settings would lose data
     * ({@link TopicSafetyCheck}).
     */
    public void ensure(Collection<NewTopic> topics) {
        if (topics.isEmpty()) {
            return;
        }
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (NewTopic t : topics) {
                if (!existing.contains(t.name())) {
                    missing.add(t);
                }
            }
            if (!missing.isEmpty()) {
                create(missing);
            }
            awaitServed(topics.stream().map(NewTopic::name).toList());
            new TopicSafetyCheck(admin).require(topics);   // once served: a topic just created may not be described yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka to create topics: " + e, e);
        }
    }

    private void create(List<NewTopic> missing) throws InterruptedException, TimeoutException {
        for (var entry : admin.createTopics(missing).values().entrySet()) {
            try {
                entry.getValue().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + entry.getKey() + ": " + e.getCause(), e.getCause());
                }
            }
        }
    }

    /** The number of partitions of each named topic (all must exist). */
    public Map<String, Integer> partitions(Collection<String> names) {
        try {
            Map<String, Integer> counts = new java.util.TreeMap<>();
            admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS)
                    .forEach((name, description) -> counts.put(name, description.partitions().size()));
            return counts;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe topics " + names + ": " + e, e);
        }
    }

    /**
     * Waits until every partition of the topics is served by its leader. A leader in the metadata is not enough:
     * the leader may not have applied the new partition yet, and an idempotent producer whose first request is refused
     * there while a later one is appended retries the first as out of order until its delivery times out, losing it
     * (KAFKA-15591, fixed in Kafka 4.5). A partition whose leader answers a list-offsets request has been applied.
     */
    private void awaitServed(List<String> names) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.currentTimeMillis() + LEADER_WAIT_MS;
        while (true) {
            Map<String, TopicDescription> described = describe(names);
            List<String> unserved = described == null ? names : leaderless(described);
            if (unserved.isEmpty()) {
                unserved = unserved(described);
            }
            if (unserved.isEmpty()) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("topics " + unserved + " still have partitions their leader does not serve after "
                        + LEADER_WAIT_MS + " ms");
            }
            Thread.sleep(50); // waiting for the partition leaders of the topics just created to serve them
        }
    }

    /** The topics among {@code described} with a partition whose leader does not answer for it yet. */
    private List<String> unserved(Map<String, TopicDescription> described)
            throws InterruptedException, TimeoutException, ExecutionException {
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        described.forEach((name, d) -> d.partitions().forEach(p ->
                partitions.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        ListOffsetsResult result = admin.listOffsets(partitions, new ListOffsetsOptions().timeoutMs(5_000));
        Set<String> unserved = new TreeSet<>();
        for (TopicPartition partition : partitions.keySet()) {
            try {
                result.partitionResult(partition).get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException)) {
                    throw e;
                }
                unserved.add(partition.topic());
            }
        }
        return List.copyOf(unserved);
    }

    /** The topics among {@code described} with a partition without a leader. */
    private static List<String> leaderless(Map<String, TopicDescription> described) {
        return described.values().stream()
                .filter(d -> d.partitions().stream().anyMatch(p -> p.leader() == null || p.leader().isEmpty()))
                .map(TopicDescription::name).toList();
    }

    /** The topics' descriptions, or null while the broker's metadata does not show one of them yet. */
    private Map<String, TopicDescription> describe(List<String> names)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return null; // created, but the broker's metadata does not show it yet
            }
            throw e;
        }
    }
}
