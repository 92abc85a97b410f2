package io.changeover.capture;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.topics.TopicProvisioner;
import io.changeover.transform.topics.Topics;

/**
 * Makes one capture process of a migration the active one, the others standbys, with nothing but Kafka: every capture
 * process joins the consumer group {@link Topics#captureLeaseGroupId()} on the one-partition topic
 * {@link Topics#captureLease()}, and the member the group assigns that partition holds the lease. When the holder dies,
 * the group expels it after {@code session.timeout.ms} and assigns the partition to a standby, which then starts the
 * capture from the stored offsets (no new snapshot). A holder that cannot reach the group (a pause longer than the
 * session, a lost connection) learns it has lost the lease on its next poll and must stop capturing.
 * The consumer is polled on its own thread; nothing is ever read from the topic.
 */
public final class CaptureLease implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CaptureLease.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread poller;
    private final Runnable onLost;
    private final String name;
    private volatile CountDownLatch acquired = new CountDownLatch(1);
    private volatile boolean held;
    private volatile boolean closed;

    private CaptureLease(KafkaConsumer<byte[], byte[]> consumer, String name, Runnable onLost) {
        this.consumer = consumer;
        this.name = name;
        this.onLost = onLost;
        this.poller = new Thread(this::poll, "changeover-capture-lease");
        this.poller.setDaemon(true);
    }

    /**
     * Joins the competition for the lease of {@code spec}'s migration (creating its topic when missing).
     *
     * @param sessionTimeout how long the group waits for a silent holder before a standby takes over
     * @param onLost         called (on the lease's thread) when a held lease is lost
     */
    public static CaptureLease join(MigrationSpec spec, CaptureConfig config, Duration sessionTimeout, Runnable onLost) {
        Topics topics = Topics.of(spec.name());
        try (Admin admin = Admin.create(new HashMap<>(config.kafkaProperties()))) {
            new TopicProvisioner(admin, config.replicationFactor()).ensure(List.of(
                    new TopicProvisioner(admin, config.replicationFactor()).plain(topics.captureLease(), 1)));
        }
        Map<String, Object> props = new HashMap<>(config.kafkaProperties());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, topics.captureLeaseGroupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(100, sessionTimeout.toMillis() / 6));
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Math.max(sessionTimeout.toMillis(), 10_000));
        // a standby joining must not take the partition away from the holder even for a moment (an eager
        // rebalance revokes every partition on every join): cooperative and sticky, only a departure moves it
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        CaptureLease lease = new CaptureLease(new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                spec.name(), onLost);
        lease.consumer.subscribe(List.of(topics.captureLease()), lease.listener());
        lease.poller.start();
        return lease;
    }

    /** Waits until this process holds the lease; false when {@code timeout} passed first or the lease was closed. */
    public boolean awaitHeld(Duration timeout) throws InterruptedException {
        return acquired.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && held && !closed;
    }

    public boolean held() {
        return held;
    }

    private ConsumerRebalanceListener listener() {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty() && !held) {
                    held = true;
                    LOG.info("capture lease of migration {} acquired: this process is the active capture", name);
                    acquired.countDown();
                }
            }

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                lost(partitions, "revoked");
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                lost(partitions, "lost (this process was expelled from the group)");
            }
        };
    }

    private void lost(Collection<TopicPartition> partitions, String how) {
        if (partitions.isEmpty() || !held) {
            return;
        }
        held = false;
        if (closed) {
            return;   // given up on purpose
        }
        acquired = new CountDownLatch(1);
        LOG.warn("capture lease of migration {} {}: this process must stop capturing", name, how);
        onLost.run();
    }

    private void poll() {
        try {
            while (!closed) {
                consumer.poll(POLL);
            }
        } catch (WakeupException e) {
            if (!closed) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("capture lease of migration {} failed: the capture stops", name, e);
            if (held) {
                held = false;
                onLost.run();
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));   // leaving the group hands the lease on at once
            acquired.countDown();
        }
    }

    /** Leaves the group: a standby takes over without waiting for the session to time out. */
    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            poller.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
