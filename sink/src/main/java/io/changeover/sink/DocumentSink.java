package io.changeover.sink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.changeover.transform.format.SourcePosition;

/**
 * The sink loop: poll the output topics, write each collection's records to the target, and commit the polled
 * offsets only after the target acknowledged every write of the poll. Runs on its own thread; the Kafka consumer is
 * used and closed only by that thread.
 *
 * <p>Retriable target errors are retried with bounded backoff ({@link RetryPolicy}); records the target refuses for
 * their content go to the dead-letter topic. Any other failure stops the loop: offsets of unacknowledged writes stay uncommitted, so a restarted sink writes those
 * records again (writes are idempotent replaces and deletes). The failure is kept for {@link #failure()}.
 */
public final class DocumentSink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DocumentSink.class);

    private final Consumer<byte[], byte[]> consumer;
    private final Map<String, String> collectionByTopic;
    private final BatchApplier applier;
    private final AppliedPositionLog metadata;
    private final DeadLetterPublisher deadLetters;
    private final RetryPolicy retry;
    private final SinkConfig config;
    private final SinkCounters counters = new SinkCounters();
    private final HeldConflicts conflicts;
    /** Last offset committed per partition by this loop (touched by the loop thread only). */
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running;
    private volatile Throwable failure;
    private Runnable onCaughtUp = () -> { };
    private boolean caughtUp;

    /**
     * @param consumer          a consumer configured for the sink (see {@link SinkConsumerSettings}); owned from now on
     * @param collectionByTopic output topic name to target collection name
     * @param metadata          where the last applied position per collection is recorded
     * @param deadLetters       where records the target refuses for their content go; owned from now on
     */
    public DocumentSink(Consumer<byte[], byte[]> consumer, Map<String, String> collectionByTopic, BatchApplier applier,
                        AppliedPositionLog metadata, DeadLetterPublisher deadLetters, SinkConfig config) {
        if (collectionByTopic.isEmpty()) {
            throw new IllegalArgumentException("the sink needs at least one output topic to read");
        }
        this.consumer = consumer;
        this.collectionByTopic = Map.copyOf(collectionByTopic);
        this.applier = applier;
        this.metadata = metadata;
        this.deadLetters = deadLetters;
        this.retry = config.retryPolicy();
        this.config = config;
        this.conflicts = new HeldConflicts(config.uniqueConflictTimeoutMs(), config.retryBackoffInitialMs(),
                config.retryBackoffMaxMs());
        this.thread = new Thread(this::run, "changeover-sink");
    }

    /**
     * Runs {@code action} once, on the sink's thread, the first time every assigned partition is read to its end
     * after its records were acknowledged (the initial load is written). Call before {@link #start()}.
     */
    public DocumentSink onFirstCaughtUp(Runnable action) {
        this.onCaughtUp = action;
        return this;
    }

    /** Starts the loop on its own thread. */
    public DocumentSink start() {
        running = true;
        thread.start();
        return this;
    }

    public boolean isRunning() {
        return running && stopped.getCount() > 0;
    }

    /** Why the sink stopped on its own, if it did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    public SinkStatus status() {
        return counters.snapshot(isRunning(), failure);
    }

    /** Waits until the loop has stopped (after close() or a failure); true if it did within the timeout. */
    public boolean awaitStop(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops polling, lets the batch in flight finish and commit, and closes the consumer. */
    @Override
    public void close() {
        running = false;
        if (thread.getState() == Thread.State.NEW) {
            closeConsumer();
            stopped.countDown();
            return;
        }
        consumer.wakeup();
        try {
            if (!stopped.await(config.closeTimeoutMs(), TimeUnit.MILLISECONDS)) {
                LOG.warn("sink did not stop within {} ms ({}); its uncommitted records will be written again on "
                        + "restart", config.closeTimeoutMs(), SinkConfig.CLOSE_TIMEOUT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            consumer.subscribe(List.copyOf(collectionByTopic.keySet()));
            while (running) {
                ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(config.pollTimeoutMs()));
                if (!polled.isEmpty()) {
                    apply(polled);
                }
                retryConflicts();
                commitPositions();
                checkCaughtUp();
            }
        } catch (WakeupException closing) {
            if (running) {
                fail(closing);
            }
        } catch (Throwable e) {
            fail(e);
        } finally {
            running = false;
            closeConsumer();
            stopped.countDown();
        }
    }

    /**
     * Writes every batch of the poll (retrying retriable errors with backoff), sends refused records to the
     * dead-letter topic, and records the applied positions; returns once all of it is acknowledged.
     */
    private void apply(ConsumerRecords<byte[], byte[]> polled) {
        Map<String, SourcePosition> positions = new LinkedHashMap<>();
        for (Map.Entry<String, List<OutputRecord>> entry : byCollection(polled).entrySet()) {
            String collection = entry.getKey();
            for (List<OutputRecord> batch : Batches.split(entry.getValue(), config.batchMaxRecords(),
                    config.batchMaxBytes())) {
                AppliedBatch applied = retry.run("write of " + batch.size() + " record(s) to '" + collection + "'",
                        () -> applier.apply(collection, batch));
                applied.rejected().forEach(r -> deadLetter(collection, r));
                applied.conflicts().forEach(c -> hold(collection, c));
                counters.applied(applied);
                positions.merge(collection, applied.lastPosition(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
            }
        }
        deadLetters.flush();
        positions.forEach((collection, position) -> retry.run("metadata update of '" + collection + "'", () -> {
            metadata.applied(collection, position);
            return null;
        }));
    }

    private void hold(String collection, AppliedBatch.Rejected conflict) {
        LOG.info("record {} refused by a unique index of target collection '{}' ({}): held, tried again later",
                conflict.record().describe(), collection, conflict.reason());
        conflicts.hold(collection, conflict, System.currentTimeMillis());
    }

    /**
     * Tries the held conflicts that are due: written, overtaken, refused for their content (dead letter), conflicting
     * again (held with a longer backoff) or conflicting past the timeout (dead letter naming the holder).
     */
    private void retryConflicts() {
        long now = System.currentTimeMillis();
        Map<String, Map<BsonValue, HeldConflicts.Held>> due = new LinkedHashMap<>();
        for (HeldConflicts.Held held : conflicts.takeDue(now, consumer.assignment())) {
            due.computeIfAbsent(held.collection(), c -> new LinkedHashMap<>()).put(held.record().id(), held);
        }
        due.forEach((collection, byId) -> {
            List<OutputRecord> records = byId.values().stream().map(HeldConflicts.Held::record).toList();
            AppliedBatch applied = retry.run("write of " + records.size() + " held record(s) to '" + collection + "'",
                    () -> applier.apply(collection, records));
            applied.rejected().forEach(r -> deadLetter(collection, r));
            for (AppliedBatch.Rejected conflict : applied.conflicts()) {
                conflicts.conflictedAgain(byId.get(conflict.record().id()), conflict, now).ifPresent(expired -> {
                    deadLetter(collection, expired);
                    counters.conflictDeadLettered();
                });
            }
            counters.retried(applied);
        });
        if (!due.isEmpty()) {
            deadLetters.flush();
        }
    }

    private void deadLetter(String collection, AppliedBatch.Rejected rejected) {
        LOG.warn("record {} refused by target collection '{}' ({}): sent to the dead-letter topic",
                rejected.record().describe(), collection, rejected.reason());
        deadLetters.publish(collection, rejected);
    }

    /**
     * Commits the consumer's position on every partition where it moved. Every record polled so far has been written
     * and acknowledged when this runs, but for held conflicts: a partition's offset stays at its lowest held one.
     * The position, unlike the last record's offset + 1, also moves past the transaction markers the exactly-once
     * transform writes, so a caught-up sink shows zero lag; it can move on a poll that returned no records, hence a
     * check after every poll.
     */
    private void commitPositions() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : consumer.assignment()) {
            long position = Math.min(consumer.position(partition),
                    conflicts.lowestOffset(partition).orElse(Long.MAX_VALUE)); // a held record is read again on restart
            Long last = committed.get(partition);
            if (last == null || position > last) {
                offsets.put(partition, new OffsetAndMetadata(position));
            }
        }
        if (!offsets.isEmpty() && commit(offsets)) {
            offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
        }
    }

    private void checkCaughtUp() {
        if (caughtUp || consumer.assignment().isEmpty() || conflicts.size() > 0) {
            return;
        }
        for (TopicPartition partition : consumer.assignment()) {
            java.util.OptionalLong lag = consumer.currentLag(partition);
            if (lag.isEmpty() || lag.getAsLong() > 0) {
                return;
            }
        }
        caughtUp = true;
        LOG.info("sink caught up with its output topics");
        onCaughtUp.run();
    }

    private Map<String, List<OutputRecord>> byCollection(ConsumerRecords<byte[], byte[]> polled) {
        Map<String, List<OutputRecord>> grouped = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : polled) {
            String collection = collectionByTopic.get(record.topic());
            if (collection == null) {
                throw new IllegalStateException("record from topic '" + record.topic() + "' that the sink did not "
                        + "subscribe to; subscribed: " + collectionByTopic.keySet());
            }
            grouped.computeIfAbsent(collection, c -> new ArrayList<>()).add(OutputRecordDecoder.decode(record));
        }
        return grouped;
    }

    private boolean commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        try {
            consumer.commitSync(offsets);
        } catch (WakeupException closing) {
            consumer.commitSync(offsets); // the writes are acknowledged: record that before stopping
        } catch (CommitFailedException e) {
            LOG.warn("offsets {} not committed (the group rebalanced); their records will be written again by the "
                    + "partition's new owner", offsets, e);
            committed.clear();
            return false;
        }
        counters.committed();
        return true;
    }

    private void fail(Throwable e) {
        failure = e;
        LOG.error("sink stopped: {}", e.getMessage(), e);
    }

    private void closeConsumer() {
        try {
            consumer.close();
        } catch (RuntimeException e) {
            LOG.warn("sink consumer did not close cleanly", e);
        }
        try {
            deadLetters.close();
        } catch (RuntimeException e) {
            LOG.warn("sink dead-letter producer did not close cleanly", e);
        }
    }
}
