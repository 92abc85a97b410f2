package io.changeover.capture;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.Metric;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.topics.TopicProvisioner;
import io.changeover.transform.topics.Topics;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;

/**
 * Captures the spec's source collections into raw topics: Debezium's embedded engine with the source's connector
 * ({@link CaptureSource}: MongoDB change streams with full documents, or PostgreSQL logical replication with
 * {@code pgoutput}; an initial snapshot first), one raw topic per collection, heartbeats to the heartbeat topic,
 * engine offsets in the capture-offsets topic.
 *
 * <p>The engine hands over Kafka Connect {@link SourceRecord}s ({@code ChangeEventFormat.of(Connect.class)}), so the
 * writer sees each record's source offset (for progress) and serializes key and value itself with Kafka Connect's
 * JSON converter, schemas disabled (the format of {@code docs/topics.md}).
 *
 * <p>Use: {@code new ChangeStreamCapture(spec, CaptureConfig.from(spec))}, {@link #start()}, read {@link #status()},
 * watch {@link #termination()}, {@link #close()}. A capture is started once; to restart, close it and create a new
 * one with the same spec: it resumes from the offsets stored in Kafka.
 */
public final class ChangeStreamCapture implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeStreamCapture.class);
    private static final Duration ENGINE_STOP_TIMEOUT = Duration.ofSeconds(60);

    private final MigrationSpec spec;
    private final CaptureConfig config;
    private final Topics topics;
    private final List<SourceCollection> collections;
    private final CaptureProgress progress;
    private final CompletableFuture<Void> termination = new CompletableFuture<>();
    private final ExecutorService engineThread;
    private final CaptureSource source;
    private Producer<byte[], byte[]> producer;
    private ChangeEventSerializer serializer;
    private DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private boolean started;
    private boolean closed;
    private volatile boolean closeRequested;

    public ChangeStreamCapture(MigrationSpec spec, CaptureConfig config) {
        if (spec.collections().isEmpty()) {
            throw new CaptureException("migration '" + spec.name() + "' has no collections to capture");
        }
        this.spec = spec;
        this.config = config;
        this.topics = Topics.of(spec.name());
        this.source = CaptureSource.of(spec, config);
        this.collections = source.collections();
        this.progress = new CaptureProgress(collections);
        this.engineThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "changeover-capture-" + spec.name());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Creates the topics capture writes (raw topics retained forever, heartbeat, compacted offsets topic), reads
     * each collection's estimated count, and starts the engine on its own thread. Returns once the engine runs;
     * failures after that are reported by {@link #failure()} and {@link #termination()}.
     */
    public synchronized void start() {
        if (started || closed) {
            throw new IllegalStateException("capture of migration '" + spec.name() + "' was already started");
        }
        started = true;
        provisionTopics();
        source.open().forEach(progress::estimatedCount);
        source.watch(this::stopGuarded);
        producer = new KafkaProducer<>(producerProperties());
        serializer = new ChangeEventSerializer();
        SourceDialect dialect = source.dialect();
        engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(source.engineProperties())
                .notifying(new RawTopicWriter(producer, new RecordRouter(topics, collections, dialect), dialect,
                        serializer, progress, config.tickInterval(), System::nanoTime, source.largeDocuments(),
                        topics.deadLetter()))
                .using(this::engineCompleted)
                .build();
        engineThread.execute(engine);
        LOG.info("capture of {} started: collections {}, snapshot.mode={}", spec.name(), collections,
                config.snapshotMode());
    }

    /** The raw topics' Kafka producer's own metrics (send rates, errors, buffer), for a stage's {@code /metrics}. */
    public synchronized Map<MetricName, ? extends Metric> kafkaMetrics() {
        return producer == null ? Map.of() : producer.metrics();
    }

    /** Where the capture is. */
    public CapturePhase phase() {
        return progress.phase();
    }

    /** Counters and position for status screens. */
    public CaptureStatus status() {
        return progress.status();
    }

    /** Change events written to raw topics so far, snapshot reads included. */
    public long eventsCaptured() {
        return progress.eventsCaptured();
    }

    /** Source position of the last event or heartbeat in Kafka; {@link SourcePosition#ZERO} before the first. */
    public SourcePosition lastPosition() {
        return progress.lastPosition();
    }

    /**
     * Position of the last ticks in Kafka ({@code SourceTicks}): every raw partition's readers can tell that the
     * source got this far. {@link SourcePosition#ZERO} before the first (ticks start with streaming).
     */
    public SourcePosition lastTickPosition() {
        return progress.lastTick();
    }

    /** Why the engine stopped, if it stopped with an error. */
    public Optional<Throwable> failure() {
        return progress.failure();
    }

    /**
     * Completes when the engine stops: normally after {@link #close()} or an engine end without error, exceptionally
     * (with a {@link CaptureException}) when it stopped with an error.
     */
    public CompletableFuture<Void> termination() {
        return termination.copy();
    }

    /** Stops the engine (it stores its last offsets), then the producer. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeRequested = true;
        try {
            if (engine != null) {
                engine.close();
            }
            engineThread.shutdown();
            if (!engineThread.awaitTermination(ENGINE_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Debezium engine of {} did not stop within {}", spec.name(), ENGINE_STOP_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("error while stopping the Debezium engine of {}", spec.name(), e);
        } finally {
            closeClients();
            progress.stopped();
            termination.complete(null);
        }
    }

    /**
     * A captured collection was dropped or renamed (or the database dropped), or they can no longer be watched:
     * stop, naming what happened.
     */
    private void stopGuarded(String message) {
        CaptureException failure = new CaptureException("capture of migration '" + spec.name() + "' stopped: "
                + message);
        progress.failed(failure);
        termination.completeExceptionally(failure);
        close();
    }

    private void engineCompleted(boolean success, String message, Throwable error) {
        if ((success && error == null) || closeRequested) {
            LOG.info("Debezium engine of {} stopped: {}", spec.name(), message);
            progress.stopped();
            termination.complete(null);
            return;
        }
        CaptureException failure = new CaptureException("capture of migration '" + spec.name()
                + "' stopped with an error: " + message, error);
        LOG.error("{}", failure.getMessage(), error);
        progress.failed(failure);
        termination.completeExceptionally(failure);
    }

    private void provisionTopics() {
        try (Admin admin = Admin.create(new HashMap<>(config.kafkaProperties()))) {
            TopicProvisioner provisioner = new TopicProvisioner(admin, config.replicationFactor());
            List<NewTopic> wanted = new ArrayList<>();
            for (SourceCollection c : collections) {
                wanted.add(provisioner.retained(topics.raw(c.database(), c.collection()), config.rawTopicPartitions()));
            }
            wanted.add(provisioner.plain(topics.heartbeat(), 1));
            // the transform and the sink create it with their output partitions; raw's default is the same 4
            wanted.add(provisioner.retained(topics.deadLetter(), config.rawTopicPartitions()));
            wanted.add(provisioner.compacted(topics.captureOffsets(), 1));
            provisioner.ensure(wanted);
        }
    }

    private Map<String, Object> producerProperties() {
        Map<String, Object> p = new HashMap<>(config.kafkaProperties());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, topics.captureLogicalName() + "-capture");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, config.producerLingerMs());
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, config.producerBatchSize());
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, config.producerCompressionType());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicProvisioner.MAX_MESSAGE_BYTES);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, config.producerDeliveryTimeoutMs());
        return p;
    }

    private void closeClients() {
        try {
            if (producer != null) {
                producer.close(Duration.ofSeconds(30));
            }
        } finally {
            try {
                if (serializer != null) {
                    serializer.close();
                }
            } finally {
                source.close();
            }
        }
    }
}
