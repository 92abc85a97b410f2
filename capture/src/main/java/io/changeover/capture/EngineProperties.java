package io.changeover.capture;

import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.topics.Topics;

/**
 * The Debezium embedded engine and MongoDB connector properties of one migration's capture.
 *
 * <p>Change streams with full documents on update ({@code change_streams_update_full}), include lists built from the
 * spec's collections with regex metacharacters escaped, no tombstones, heartbeats, offsets stored in a compacted
 * Kafka topic (never a local file) so a capture restarted on another host resumes where the last one stopped, and
 * the stages that keep every event under MongoDB's 16 MiB limit ({@link LargeDocuments}; overriding
 * {@code debezium.cursor.pipeline} removes them).
 */
public final class EngineProperties {
    static final String CONNECTOR_CLASS = "io.debezium.connector.mongodb.MongoDbConnector";

    private EngineProperties() {
    }

    /** Properties for {@code DebeziumEngine.Builder#using(Properties)}. */
    public static Properties of(MigrationSpec spec, CaptureConfig config) {
        Topics topics = Topics.of(spec.name());
        String db = spec.source().database();
        List<SourceCollection> collections = collections(spec);
        Properties p = new Properties();
        // Kafka client settings (bootstrap.servers, security) are read by the Kafka offset store.
        p.putAll(config.kafkaProperties());
        p.setProperty("name", topics.captureLogicalName());
        p.setProperty("connector.class", CONNECTOR_CLASS);
        p.setProperty("topic.prefix", topics.captureLogicalName());
        p.setProperty("mongodb.connection.string", spec.source().uri());
        p.setProperty("capture.mode", "change_streams_update_full");
        p.setProperty("capture.scope", config.captureScope());
        if ("database".equals(config.captureScope())) {
            p.setProperty("capture.target", db);
        }
        p.setProperty("database.include.list", escapeRegex(db));
        p.setProperty("collection.include.list",
                collections.stream().map(c -> escapeRegex(c.namespace())).collect(Collectors.joining(",")));
        p.setProperty("cursor.pipeline", LargeDocuments.pipeline(config.largeDocumentBytes()));
        return withEngineSettings(p, topics, config);
    }

    /**
     * What every capture's engine shares whatever its connector: snapshot mode and sizes, no tombstones, heartbeats,
     * batch and queue sizes, retries, offsets in the compacted Kafka topic, and last the {@code debezium.*}
     * overrides.
     */
    static Properties withEngineSettings(Properties p, Topics topics, CaptureConfig config) {
        p.setProperty("snapshot.mode", config.snapshotMode());
        p.setProperty("snapshot.fetch.size", Integer.toString(config.snapshotFetchSize()));
        p.setProperty("snapshot.max.threads", Integer.toString(config.snapshotMaxThreads()));
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("heartbeat.interval.ms", Integer.toString(config.heartbeatIntervalMs()));
        p.setProperty("max.batch.size", Integer.toString(config.maxBatchSize()));
        p.setProperty("max.queue.size", Integer.toString(config.maxQueueSize()));
        p.setProperty("poll.interval.ms", Long.toString(config.pollIntervalMs()));
        p.setProperty("errors.max.retries", Integer.toString(config.errorsMaxRetries()));
        p.setProperty("offset.storage", KafkaOffsetStore.class.getName());
        p.setProperty("offset.storage.topic", topics.captureOffsets());
        p.setProperty("offset.storage.partitions", "1");
        p.setProperty("offset.storage.replication.factor", Short.toString(config.replicationFactor()));
        p.setProperty("offset.flush.interval.ms", Long.toString(config.offsetFlushIntervalMs()));
        p.setProperty("offset.flush.timeout.ms", Long.toString(config.offsetFlushTimeoutMs()));
        p.putAll(config.debeziumOverrides());
        return p;
    }

    /** The spec's collections, all in the source database. */
    public static List<SourceCollection> collections(MigrationSpec spec) {
        return spec.collections().stream()
                .map(c -> new SourceCollection(spec.source().database(), c.source()))
                .toList();
    }

    /**
     * A regex matching exactly {@code name}: every character other than a letter, digit or underscore is
     * backslash-escaped (this also escapes the comma, which separates entries of Debezium's include lists).
     */
    static String escapeRegex(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 8);
        for (char c : name.toCharArray()) {
            if (!Character.isLetterOrDigit(c) && c != '_') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
