package io.changeover.sink;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

import io.changeover.transform.spec.PostgresConnections;
import io.changeover.sink.relational.RelationalApplier;
import io.changeover.transform.spec.CollectionSpec;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.topics.Topics;

/**
 * Runs the sink of one migration: creates the output topics if missing (so start order does not matter), connects
 * to the target, and runs a {@link DocumentSink} over the output topics of every spec collection.
 */
public final class SinkRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SinkRunner.class);

    private final DocumentSink sink;
    private final AutoCloseable ownedClient;
    private final KafkaConsumer<byte[], byte[]> consumer;

    private SinkRunner(DocumentSink sink, AutoCloseable ownedClient, KafkaConsumer<byte[], byte[]> consumer) {
        this.sink = sink;
        this.ownedClient = ownedClient;
        this.consumer = consumer;
    }

    /** Starts the sink of {@code spec}, connecting to {@code spec.target().uri()} (MongoDB or PostgreSQL). */
    public static SinkRunner start(MigrationSpec spec) {
        if (spec.target().isRelational()) {
            return startRelational(spec);
        }
        MongoClient client = MongoClients.create(spec.target().uri());
        try {
            return start(spec, client, client);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** Starts the sink of {@code spec} writing through {@code client}, which the caller keeps and closes. */
    public static SinkRunner start(MigrationSpec spec, MongoClient client) {
        return start(spec, client, null);
    }

    private static SinkRunner start(MigrationSpec spec, MongoClient client, MongoClient owned) {
        SinkConfig config = SinkConfig.from(spec);
        Map<String, String> collectionByTopic = ensureTopics(spec, config);
        MongoDatabase target = client.getDatabase(spec.target().database());
        BulkApplier applier = new BulkApplier(target, config.writeConcern(), config.tombstoneCollection(),
                config.positionGuard());
        SinkMetadata metadata = new SinkMetadata(target, config.metadataCollection(), config.writeConcern());
        config.retryPolicy().run("metadata registration", () -> {
            metadata.registerMigration(spec.name(), spec.checksum(), config.schemaVersion(), spec.canonicalForm(),
                    spec.usesStep("rehash-id"));
            return null;
        });
        IndexDeclarations indexes = config.indexes();
        Runnable createIndexes = () -> config.retryPolicy().run("index creation", () -> {
            indexes.create(target);
            LOG.info("indexes created on the target: {}", indexes.indexes());
            return null;
        });
        if (!indexes.isEmpty() && !config.indexesAfterLoad()) {
            createIndexes.run();
        }
        Runnable onCaughtUp = !indexes.isEmpty() && config.indexesAfterLoad() ? createIndexes : null;
        SinkRunner runner = launch(spec, config, collectionByTopic, applier, metadata, onCaughtUp, owned);
        LOG.info("sink of migration '{}' started: {} -> {}.{}", spec.name(), collectionByTopic.keySet(),
                spec.target().database(), collectionByTopic.values());
        return runner;
    }

    /**
     * The sink of a PostgreSQL target: documents become rows of the spec's {@code target.tables}, created where
     * missing ({@link RelationalApplier}); the applied positions are kept in the target's {@code changeover_applied}.
     */
    private static SinkRunner startRelational(MigrationSpec spec) {
        SinkConfig config = SinkConfig.from(spec);
        Map<String, String> collectionByTopic = ensureTopics(spec, config);
        RelationalApplier applier = new RelationalApplier(new PostgresConnections(spec.target().uri(), "changeover-sink"),
                spec.target().relational());
        try {
            config.retryPolicy().run("creation of the target's tables", () -> {
                applier.createSchema();
                return null;
            });
            SinkRunner runner = launch(spec, config, collectionByTopic, applier, applier, null, applier);
            LOG.info("sink of migration '{}' started: {} -> PostgreSQL {} tables {}", spec.name(),
                    collectionByTopic.keySet(), spec.target(), spec.target().relational().tables().stream()
                            .map(io.changeover.transform.spec.TableSpec::table).toList());
            return runner;
        } catch (RuntimeException e) {
            applier.close();
            throw e;
        }
    }

    /** The output topics of {@code spec} by target collection, created if missing (so start order does not matter). */
    private static Map<String, String> ensureTopics(MigrationSpec spec, SinkConfig config) {
        Topics topics = Topics.of(spec.name());
        Map<String, String> collectionByTopic = collectionByTopic(spec, topics);
        OutputTopics.ensure(spec.kafka(), config, collectionByTopic.keySet(), topics.deadLetter());
        return collectionByTopic;
    }

    /** What every target shares: the dead-letter publisher, the consumer and the sink loop over {@code applier}. */
    private static SinkRunner launch(MigrationSpec spec, SinkConfig config, Map<String, String> collectionByTopic,
                                     BatchApplier applier, AppliedPositionLog positions, Runnable onFirstCaughtUp,
                                     AutoCloseable owned) {
        Topics topics = Topics.of(spec.name());
        KafkaDeadLetterPublisher deadLetters = new KafkaDeadLetterPublisher(spec.kafka(), topics.deadLetter(),
                spec.checksum());
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(SinkConsumerSettings.of(spec.kafka(), config, topics));
        DocumentSink sink = new DocumentSink(consumer, collectionByTopic, applier, positions, deadLetters, config);
        if (onFirstCaughtUp != null) {
            sink.onFirstCaughtUp(onFirstCaughtUp);
        }
        sink.start();
        return new SinkRunner(sink, owned, consumer);
    }

    /** Output topic to target collection, for every collection of the spec. */
    static Map<String, String> collectionByTopic(MigrationSpec spec, Topics topics) {
        Map<String, String> map = new LinkedHashMap<>();
        for (CollectionSpec collection : spec.collections()) {
            String target = collection.into() == null ? collection.source() : collection.into();
            map.put(topics.output(target), target);
        }
        return map;
    }

    /** The Kafka consumer's own metrics (fetch rates, lag, coordinator), for a stage's {@code /metrics}. */
    public Map<MetricName, ? extends Metric> kafkaMetrics() {
        return consumer.metrics();
    }

    public SinkStatus status() {
        return sink.status();
    }

    /** Why the sink stopped on its own (a write error names the collection and record), if it did. */
    public Optional<Throwable> failure() {
        return sink.failure();
    }

    public boolean isRunning() {
        return sink.isRunning();
    }

    /** The sink loop, for waiting on it ({@link DocumentSink#awaitStop}). */
    public DocumentSink sink() {
        return sink;
    }

    @Override
    public void close() {
        sink.close();
        if (ownedClient != null) {
            try {
                ownedClient.close();
            } catch (Exception e) {
                LOG.warn("closing the connection to the target: {}", e.getMessage());
            }
        }
    }
}
