package io.changeover.control.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.changeover.transform.spec.CollectionSpec;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.topics.Topics;
import io.changeover.transform.topics.TopicProvisioner;

/**
 * Feeds a replay: copies the live migration's retained raw topics into the replay's raw topics, from the beginning
 * (or from a timestamp), then keeps following them, so the replay transform never reads the source. Each raw
 * partition goes to one replay partition with its keys, values, headers and timestamps, so per-document order holds.
 *
 * <p>Progress is committed to Kafka after every copied batch (group: the replay's capture name), so a restarted
 * replay continues where it stopped; a crash between a copy and its commit copies a batch twice, which the transform
 * and the sink apply idempotently.
 */
public final class ReplayFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayFeed.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private final Map<String, String> routes = new HashMap<>();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Instant from;
    private final AtomicLong copied = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private volatile Map<TopicPartition, Long> behind = Map.of();

    private ReplayFeed(MigrationSpec live, MigrationSpec replay, Instant from) {
        Topics liveTopics = Topics.of(live.name());
        Topics replayTopics = Topics.of(replay.name());
        for (CollectionSpec c : live.collections()) {
            routes.put(liveTopics.raw(live.source().database(), c.source()), replayTopics.raw(live.source().database(), c.source()));
        }
        this.from = from;
        this.consumer = new KafkaConsumer<>(consumerProps(live, replayTopics), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(producerProps(live), new ByteArraySerializer(), new ByteArraySerializer());
        this.thread = new Thread(this::run, "changeover-replay-feed");
        this.thread.setDaemon(true);
    }

    /**
     * Starts copying. The replay's raw topics must exist (the replay transform creates them).
     *
     * @param from copy records from this time on; null copies everything retained
     */
    public static ReplayFeed start(MigrationSpec live, MigrationSpec replay, Instant from) {
        ReplayFeed feed = new ReplayFeed(live, replay, from);
        feed.assign();
        feed.measureLag();   // before the first copy: until then everything to copy is behind, never zero
        feed.thread.start();
        return feed;
    }

    /** Raw records copied so far by this process. */
    public long copied() {
        return copied.get();
    }

    /** Raw records not copied yet, as of the last batch (from the start: as of the positions the feed starts at). */
    public long lag() {
        return behind.values().stream().mapToLong(Long::longValue).sum();
    }

    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    private void assign() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : routes.keySet()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("raw topic " + topic + " does not exist: has the live migration captured anything?");
            }
            infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
        }
        consumer.assign(partitions);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(java.util.Set.copyOf(partitions));
        List<TopicPartition> fresh = partitions.stream().filter(tp -> committed.get(tp) == null).toList();
        if (fresh.isEmpty()) {
            LOG.info("replay feed resumes from its committed offsets");
            return;
        }
        if (from == null) {
            consumer.seekToBeginning(fresh);
            return;
        }
        Map<TopicPartition, Long> times = new HashMap<>();
        fresh.forEach(tp -> times.put(tp, from.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times);
        Map<TopicPartition, Long> end = consumer.endOffsets(fresh);
        for (TopicPartition tp : fresh) {
            OffsetAndTimestamp o = offsets.get(tp);
            consumer.seek(tp, o == null ? end.get(tp) : o.offset());
        }
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    String topic = routes.get(r.topic());
                    int partitions = producer.partitionsFor(topic).size();
                    producer.send(new ProducerRecord<>(topic, r.partition() % partitions, r.timestamp(), r.key(), r.value(), r.headers()));
                }
                if (!records.isEmpty()) {
                    producer.flush();
                    consumer.commitSync();
                    copied.addAndGet(records.count());
                }
                measureLag();
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("replay feed failed", e);
        }
    }

    private void measureLag() {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        Map<TopicPartition, Long> lag = new HashMap<>();
        end.forEach((tp, e) -> lag.put(tp, Math.max(0, e - consumer.position(tp))));
        behind = lag;
    }

    private static Properties consumerProps(MigrationSpec live, Topics replay) {
        Properties p = new Properties();
        p.putAll(live.kafka());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, replay.captureLogicalName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(TopicProvisioner.MAX_MESSAGE_BYTES));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(TopicProvisioner.MAX_MESSAGE_BYTES));
        return p;
    }

    private static Properties producerProps(MigrationSpec live) {
        Properties p = new Properties();
        p.putAll(live.kafka());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(TopicProvisioner.MAX_MESSAGE_BYTES));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return p;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close();
        producer.close();
    }
}
