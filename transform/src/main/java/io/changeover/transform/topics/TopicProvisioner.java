package io.changeover.transform.topics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
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

    /** A topic kept forever (raw topics: retained so transforms can be replayed). */
    public NewTopic retained(String name, int partitions) {
        return new NewTopic(name, partitions, replicationFactor)
                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1", TopicConfig.RETENTION_BYTES_CONFIG, "-1",
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, MAX_BYTES));
    }

    /** A compacted topic (offsets and other latest-value-per-key state). */
    public NewTopic compacted(String name, int partitions) {
        return new NewTopic(name, partitions, replicationFactor)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, MAX_BYTES));
    }

    /** A topic with the broker's default retention. */
    public NewTopic plain(String name, int partitions) {
        return new NewTopic(name, partitions, replicationFactor)
                .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, MAX_BYTES));
    }

    /** Creates each topic that does not exist yet; waits for the broker's answer. */
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
            if (missing.isEmpty()) {
                return;
            }
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + entry.getKey() + ": " + e.getCause(), e.getCause());
                    }
                }
            }
            awaitLeaders(missing.stream().map(NewTopic::name).toList());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka to create topics: " + e, e);
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
     * Waits until every partition of the new topics has a leader. A topic is usable only then: a producer that writes
     * to a partition whose leader is not elected yet can see out-of-order sequence errors on a fresh broker.
     */
    private void awaitLeaders(List<String> names) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.currentTimeMillis() + LEADER_WAIT_MS;
        while (true) {
            List<String> leaderless = leaderless(names);
            if (leaderless.isEmpty()) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("topics " + leaderless + " still have partitions without a leader after "
                        + LEADER_WAIT_MS + " ms");
            }
            Thread.sleep(50); // waiting for the controller to elect partition leaders of the topics just created
        }
    }

    /** The topics among {@code names} that are not yet known to the broker or have a partition without a leader. */
    private List<String> leaderless(List<String> names) throws InterruptedException, ExecutionException, TimeoutException {
        try {
            Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
            return described.values().stream()
                    .filter(d -> d.partitions().stream().anyMatch(p -> p.leader() == null || p.leader().isEmpty()))
                    .map(TopicDescription::name).toList();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return names; // created, but the broker's metadata does not show it yet
            }
            throw e;
        }
    }
}
