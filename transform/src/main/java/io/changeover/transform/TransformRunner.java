package io.changeover.transform;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.changeover.transform.engine.CollectionTransform;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.topics.TopicProvisioner;
import io.changeover.transform.topics.Topics;

/**
 * Runs the transform stage: creates the topics it reads and writes (raw topics retained, output topics compacted, the
 * dead-letter topic retained; existing topics are left alone, so stages may start in any order), then runs the
 * {@link TransformTopology} in Kafka Streams with {@code application.id = Topics.transformApplicationId()}.
 *
 * <p>Fails loudly: an exception in a stream thread shuts the application down, is logged, and is kept in
 * {@link #failure()}.
 */
public final class TransformRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TransformRunner.class);

    private final KafkaStreams streams;
    private final TransformConfig config;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private TransformRunner(KafkaStreams streams, TransformConfig config) {
        this.streams = streams;
        this.config = config;
    }

    /** Starts with the settings in the spec's {@code transform:} section. */
    public static TransformRunner start(MigrationSpec spec) {
        return start(spec, TransformConfig.of(spec));
    }

    public static TransformRunner start(MigrationSpec spec, TransformConfig config) {
        CompiledSpec compiled = CompiledSpec.compile(spec);
        provisionTopics(compiled, config);
        KafkaStreams streams = new KafkaStreams(TransformTopology.build(compiled, config), config.streamsProperties(spec));
        TransformRunner runner = new TransformRunner(streams, config);
        streams.setUncaughtExceptionHandler(runner::onFailure);
        streams.setStateListener((next, previous) -> LOG.info("transform {}: {} -> {}", spec.name(), previous, next));
        try {
            streams.start();
        } catch (RuntimeException e) {
            streams.close(Duration.ofMillis(config.closeTimeoutMs()));
            throw e;
        }
        return runner;
    }

    /** Creates the raw, output, dead-letter and internal (remap, resolved, dedupe) topics the transform uses, where missing. */
    public static void provisionTopics(CompiledSpec compiled, TransformConfig config) {
        MigrationSpec spec = compiled.spec();
        Map<String, Object> adminProps = new HashMap<>(spec.kafka());
        try (Admin admin = Admin.create(adminProps)) {
            TopicProvisioner provisioner = new TopicProvisioner(admin, config.replicationFactor());
            provisioner.ensure(topics(compiled, config, provisioner));
            requireCoPartitioned(compiled, provisioner);
        }
    }

    private static List<NewTopic> topics(CompiledSpec compiled, TransformConfig config, TopicProvisioner provisioner) {
        Topics topics = Topics.of(compiled.spec().name());
        List<NewTopic> wanted = new ArrayList<>();
        for (CollectionTransform transform : compiled.collections()) {
            wanted.add(provisioner.retained(topics.raw(compiled.spec().source().database(), transform.source()),
                    config.rawTopicPartitions()));
            for (String target : transform.targets()) {
                add(wanted, provisioner.compacted(topics.output(target), config.outputTopicPartitions()));
            }
            for (String from : transform.remapSources()) {
                add(wanted, provisioner.retained(topics.remap(from), config.outputTopicPartitions()));
            }
            if (!transform.remapSources().isEmpty()) {
                // read beside the raw topic and keyed like it: it must have as many partitions
                add(wanted, provisioner.retained(topics.resolved(transform.source()), config.rawTopicPartitions()));
            }
            if (transform.ownership().isPresent()) {
                add(wanted, provisioner.retained(topics.dedupe(transform.source()), config.outputTopicPartitions()));
            }
        }
        wanted.add(provisioner.retained(topics.deadLetter(), config.outputTopicPartitions()));
        return wanted;
    }

    /**
     * Remap answers reach a referencing document through {@code resolved.<collection>}, keyed like its raw topic: both
     * must have as many partitions, or answers land in partitions that do not hold the document (a raw topic created
     * by capture with another count than {@code raw.topic.partitions}).
     */
    private static void requireCoPartitioned(CompiledSpec compiled, TopicProvisioner provisioner) {
        Topics topics = Topics.of(compiled.spec().name());
        for (CollectionTransform transform : compiled.collections()) {
            if (transform.remapSources().isEmpty()) {
                continue;
            }
            String raw = topics.raw(compiled.spec().source().database(), transform.source());
            String resolved = topics.resolved(transform.source());
            Map<String, Integer> counts = provisioner.partitions(List.of(raw, resolved));
            if (!counts.get(raw).equals(counts.get(resolved))) {
                throw new IllegalStateException("topic " + resolved + " has " + counts.get(resolved) + " partitions but "
                        + raw + " has " + counts.get(raw) + "; they must have as many (remap answers are keyed like raw"
                        + " records): delete " + resolved + " (the transform recreates it) or set raw.topic.partitions");
            }
        }
    }

    private static void add(List<NewTopic> wanted, NewTopic topic) {
        if (wanted.stream().noneMatch(t -> t.name().equals(topic.name()))) {
            wanted.add(topic);
        }
    }

    private StreamThreadExceptionResponse onFailure(Throwable e) {
        failure.compareAndSet(null, e);
        LOG.error("transform failed; shutting down", e);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** True while Kafka Streams runs or rebalances (not yet failed or closed). */
    public boolean isAlive() {
        return failure.get() == null && streams.state().isRunningOrRebalancing();
    }

    /** The exception that stopped the transform, if it died. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** The underlying Kafka Streams client (metrics, store queries). */
    public KafkaStreams streams() {
        return streams;
    }

    /** Stops the stream threads, commits, and leaves the consumer group so a restart need not wait for it to expire. */
    @Override
    public void close() {
        CloseOptions options = CloseOptions.timeout(Duration.ofMillis(config.closeTimeoutMs()))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP);
        if (!streams.close(options)) {
            LOG.warn("transform did not stop within {} ms", config.closeTimeoutMs());
        }
        config.objectStore().closeOpened();
    }
}
