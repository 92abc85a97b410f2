package io.changeover.sink;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;

import io.changeover.transform.topics.TopicProvisioner;

/**
 * Makes sure the output topics exist and every partition has a leader before the sink reads them. Waiting for
 * leaders matters to writers too: a producer that writes to a partition created a moment ago, before its leader is
 * elected, was seen failing with OUT_OF_ORDER_SEQUENCE_NUMBER retries on the embedded broker.
 */
final class OutputTopics {
    private static final long LEADER_WAIT_MS = 30_000;

    private OutputTopics() {
    }

    static void ensure(Map<String, String> kafka, SinkConfig config, Collection<String> names) {
        ensure(kafka, config, names, null);
    }

    /**
     * Also makes sure the dead-letter topic exists (retained forever, as the transform creates it), when
     * {@code deadLetterTopic} is not null.
     */
    static void ensure(Map<String, String> kafka, SinkConfig config, Collection<String> names, String deadLetterTopic) {
        try (Admin admin = Admin.create(Map.<String, Object>copyOf(kafka))) {
            TopicProvisioner provisioner = new TopicProvisioner(admin, config.topicReplicationFactor());
            List<NewTopic> wanted = new ArrayList<>();
            names.forEach(name -> wanted.add(provisioner.plain(name, config.outputTopicPartitions())));
            List<String> all = new ArrayList<>(names);
            if (deadLetterTopic != null) {
                wanted.add(provisioner.retained(deadLetterTopic, config.outputTopicPartitions()));
                all.add(deadLetterTopic);
            }
            provisioner.ensure(wanted);
            awaitLeaders(admin, all);
        }
    }

    /** Waits (polling every 100 ms, at most 30 s) until every partition of {@code names} has a leader. */
    private static void awaitLeaders(Admin admin, Collection<String> names) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LEADER_WAIT_MS);
        try {
            while (!allLed(admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("output topics " + names + " still have partitions without a "
                            + "leader after " + LEADER_WAIT_MS + " ms");
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for output topic leaders", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe output topics " + names + ": " + e, e);
        }
    }

    private static boolean allLed(Collection<TopicDescription> topics) {
        return topics.stream().flatMap(t -> t.partitions().stream())
                .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
    }
}
