package io.changeover.capture;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

import io.changeover.transform.spec.MigrationSpec;

/**
 * Settings of the capture stage: the {@code capture:} section of the spec, plus the spec's shared Kafka client
 * properties ({@code kafka:} section, at least {@code bootstrap.servers}).
 *
 * <p>Keys starting with {@value #DEBEZIUM_PREFIX} are passed, without the prefix, to the Debezium MongoDB connector
 * and override what this stage sets (an escape hatch; use with care). Any other key not defined here is rejected,
 * so a typo fails at startup instead of being silently ignored.
 */
public final class CaptureConfig extends AbstractConfig {
    /** Prefix of keys passed through to Debezium unchanged. */
    public static final String DEBEZIUM_PREFIX = "debezium.";

    public static final String HEARTBEAT_INTERVAL_MS = "heartbeat.interval.ms";
    public static final String TICK_INTERVAL_MS = "tick.interval.ms";
    public static final String RAW_TOPIC_PARTITIONS = "raw.topic.partitions";
    public static final String TOPIC_REPLICATION_FACTOR = "topic.replication.factor";
    public static final String SNAPSHOT_MODE = "snapshot.mode";
    public static final String SNAPSHOT_FETCH_SIZE = "snapshot.fetch.size";
    public static final String SNAPSHOT_MAX_THREADS = "snapshot.max.threads";
    public static final String CAPTURE_SCOPE = "capture.scope";
    public static final String MAX_BATCH_SIZE = "max.batch.size";
    public static final String MAX_QUEUE_SIZE = "max.queue.size";
    public static final String POLL_INTERVAL_MS = "poll.interval.ms";
    public static final String OFFSET_FLUSH_INTERVAL_MS = "offset.flush.interval.ms";
    public static final String OFFSET_FLUSH_TIMEOUT_MS = "offset.flush.timeout.ms";
    public static final String ERRORS_MAX_RETRIES = "errors.max.retries";
    public static final String PRODUCER_LINGER_MS = "producer.linger.ms";
    public static final String PRODUCER_BATCH_SIZE = "producer.batch.size";
    public static final String PRODUCER_COMPRESSION_TYPE = "producer.compression.type";
    public static final String PRODUCER_DELIVERY_TIMEOUT_MS = "producer.delivery.timeout.ms";
    public static final String LARGE_DOCUMENT_BYTES = "large.document.bytes";
    public static final String LARGE_DOCUMENT_POLICY = "large.document.policy";
    /** MongoDB's largest document. */
    private static final int MAX_BSON_BYTES = 16 * 1024 * 1024;

    private static final ConfigDef CONFIG_DEF = buildConfigDef();

    private final Map<String, String> kafka;

    /**
     * @param capture the spec's {@code capture:} settings (YAML scalars; numbers may be given as numbers or strings)
     * @param kafka   Kafka client properties shared by all stages; must contain {@code bootstrap.servers}
     */
    public CaptureConfig(Map<String, ?> capture, Map<String, String> kafka) {
        super(CONFIG_DEF, asStrings(capture), false);
        this.kafka = Map.copyOf(kafka);
        rejectUnknownKeys(capture);
        validateCrossFields();
    }

    /** The capture settings of a spec. */
    public static CaptureConfig from(MigrationSpec spec) {
        return new CaptureConfig(spec.capture(), spec.kafka());
    }

    /** The definition of every key, for validation and for generating reference docs. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG_DEF);
    }

    private static ConfigDef buildConfigDef() {
        return new ConfigDef()
                .define(HEARTBEAT_INTERVAL_MS, Type.INT, 1000, Range.between(1, 3_600_000), Importance.HIGH,
                        "How often Debezium emits a heartbeat (to the heartbeat topic) while the source is idle, in ms."
                                + " Heartbeats carry the change stream's current position, so capture lag stays right"
                                + " when nothing is written.")
                .define(TICK_INTERVAL_MS, Type.INT, 200, Range.between(1, 3_600_000), Importance.MEDIUM,
                        "Least time between ticks while changes flow, in ms. A tick in every raw partition tells the"
                                + " transform how far the source has got, so a reference to a document that does not"
                                + " exist is answered once every partition has passed it: the first batch after this"
                                + " interval is followed by ticks at the position just before its last change. While"
                                + " the source is idle, heartbeats bring the ticks.")
                .define(RAW_TOPIC_PARTITIONS, Type.INT, 4, Range.atLeast(1), Importance.MEDIUM,
                        "Partitions of each raw topic created by capture (one raw topic per source collection)."
                                + " Existing topics are left as they are.")
                .define(TOPIC_REPLICATION_FACTOR, Type.SHORT, (short) -1,
                        ConfigDef.LambdaValidator.with((name, value) -> {
                            if (value instanceof Short n && n != -1 && n < 1) {
                                throw new ConfigException(name, value, "expected -1 (broker default) or at least 1");
                            }
                        }, () -> "-1 or [1,...]"), Importance.HIGH,
                        "Replication factor of the raw, heartbeat, offsets and lease topics created by capture. -1: the"
                                + " broker's default.replication.factor (the raw topics are kept forever for replay: on a"
                                + " cluster they need the same replication as everything else).")
                .define(SNAPSHOT_MODE, Type.STRING, "initial",
                        ValidString.in("initial", "when_needed", "no_data", "always"), Importance.HIGH,
                        "Debezium snapshot mode. 'initial': copy every document once, then stream; a restart with"
                                + " stored offsets resumes streaming without a new snapshot. 'when_needed': as"
                                + " initial, and snapshot again if the stored resume token is no longer in the oplog."
                                + " 'no_data': stream only. 'always': snapshot on every start.")
                .define(SNAPSHOT_FETCH_SIZE, Type.INT, 2000, Range.atLeast(1), Importance.LOW,
                        "Documents fetched per batch by the snapshot cursor.")
                .define(SNAPSHOT_MAX_THREADS, Type.INT, 1, Range.between(1, 64), Importance.LOW,
                        "Collections snapshotted in parallel.")
                .define(CAPTURE_SCOPE, Type.STRING, "database", ValidString.in("database", "deployment"),
                        Importance.LOW,
                        "Scope of the change stream Debezium opens: 'database' watches the source database only;"
                                + " 'deployment' watches the whole cluster (needs cluster-wide privileges).")
                .define(MAX_BATCH_SIZE, Type.INT, 2048, Range.atLeast(1), Importance.LOW,
                        "Most change events handed to the Kafka writer in one batch.")
                .define(MAX_QUEUE_SIZE, Type.INT, 8192, Range.atLeast(2), Importance.LOW,
                        "Capacity of Debezium's internal event queue; must be larger than max.batch.size.")
                .define(POLL_INTERVAL_MS, Type.LONG, 50L, Range.between(1, 60_000), Importance.LOW,
                        "How long Debezium waits for new events before handing over a smaller batch, in ms."
                                + " Small values keep capture latency low.")
                .define(OFFSET_FLUSH_INTERVAL_MS, Type.LONG, 1000L, Range.between(0, 3_600_000), Importance.MEDIUM,
                        "How often the engine stores its position (resume token) in the offsets topic, in ms."
                                + " After a crash, changes since the last flush are captured again (duplicates,"
                                + " never losses).")
                .define(OFFSET_FLUSH_TIMEOUT_MS, Type.LONG, 5000L, Range.between(1, 3_600_000), Importance.LOW,
                        "How long one offset flush may take before it is abandoned and retried, in ms.")
                .define(ERRORS_MAX_RETRIES, Type.INT, -1, Range.atLeast(-1), Importance.MEDIUM,
                        "How often Debezium retries a retriable source error (lost connection, primary stepping"
                                + " down) before capture fails; -1 retries without limit, with backoff up to 10 s."
                                + " Errors writing to Kafka are not retried here: the producer retries them for"
                                + " producer.delivery.timeout.ms, then capture fails.")
                .define(PRODUCER_LINGER_MS, Type.INT, 5, Range.between(0, 60_000), Importance.LOW,
                        "linger.ms of the producer writing raw topics.")
                .define(PRODUCER_BATCH_SIZE, Type.INT, 256 * 1024, Range.atLeast(1), Importance.LOW,
                        "batch.size (bytes) of the producer writing raw topics.")
                .define(PRODUCER_COMPRESSION_TYPE, Type.STRING, "lz4",
                        ValidString.in("none", "gzip", "snappy", "lz4", "zstd"), Importance.LOW,
                        "compression.type of the producer writing raw topics.")
                .define(PRODUCER_DELIVERY_TIMEOUT_MS, Type.INT, 120_000, Range.atLeast(1), Importance.LOW,
                        "delivery.timeout.ms of the producer: how long a write to Kafka may retry before capture"
                                + " fails.")
                .define(LARGE_DOCUMENT_BYTES, Type.INT, 15 * 1024 * 1024, Range.between(1024, MAX_BSON_BYTES),
                        Importance.LOW,
                        "A document larger than this (BSON bytes) does not travel in its change event: the event"
                                + " carries its _id and size only, and large.document.policy says what happens. An"
                                + " update's event holds the change and the whole document, so without this a large"
                                + " document's update could exceed MongoDB's 16 MiB limit and stop the change stream"
                                + " at that event. Leave room under 16 MiB for the event's other fields.")
                .define(LARGE_DOCUMENT_POLICY, Type.STRING, "fetch", ValidString.in("fetch", "dead-letter"),
                        Importance.LOW,
                        "What capture does with a document over large.document.bytes. 'fetch': read it by _id from"
                                + " the source (its current version, as the change stream's update lookup does); one"
                                + " the source refuses to return is dead-lettered with the server's reason. 'dead-letter':"
                                + " write its id, size and position to the dead-letter topic and go on without it.");
    }

    /** Kafka client properties shared by every stage (from the spec's {@code kafka:} section). */
    public Map<String, String> kafkaProperties() {
        return kafka;
    }

    public String bootstrapServers() {
        return kafka.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    }

    public int heartbeatIntervalMs() {
        return getInt(HEARTBEAT_INTERVAL_MS);
    }

    public int rawTopicPartitions() {
        return getInt(RAW_TOPIC_PARTITIONS);
    }

    public short replicationFactor() {
        return getShort(TOPIC_REPLICATION_FACTOR);
    }

    public String snapshotMode() {
        return getString(SNAPSHOT_MODE);
    }

    public int snapshotFetchSize() {
        return getInt(SNAPSHOT_FETCH_SIZE);
    }

    public int snapshotMaxThreads() {
        return getInt(SNAPSHOT_MAX_THREADS);
    }

    public String captureScope() {
        return getString(CAPTURE_SCOPE);
    }

    public Duration tickInterval() {
        return Duration.ofMillis(getInt(TICK_INTERVAL_MS));
    }

    public int maxBatchSize() {
        return getInt(MAX_BATCH_SIZE);
    }

    public int maxQueueSize() {
        return getInt(MAX_QUEUE_SIZE);
    }

    public long pollIntervalMs() {
        return getLong(POLL_INTERVAL_MS);
    }

    public long offsetFlushIntervalMs() {
        return getLong(OFFSET_FLUSH_INTERVAL_MS);
    }

    public long offsetFlushTimeoutMs() {
        return getLong(OFFSET_FLUSH_TIMEOUT_MS);
    }

    public int errorsMaxRetries() {
        return getInt(ERRORS_MAX_RETRIES);
    }

    public int producerLingerMs() {
        return getInt(PRODUCER_LINGER_MS);
    }

    public int producerBatchSize() {
        return getInt(PRODUCER_BATCH_SIZE);
    }

    public String producerCompressionType() {
        return getString(PRODUCER_COMPRESSION_TYPE);
    }

    public int producerDeliveryTimeoutMs() {
        return getInt(PRODUCER_DELIVERY_TIMEOUT_MS);
    }

    public int largeDocumentBytes() {
        return getInt(LARGE_DOCUMENT_BYTES);
    }

    public String largeDocumentPolicy() {
        return getString(LARGE_DOCUMENT_POLICY);
    }

    /** Debezium connector properties given with the {@value #DEBEZIUM_PREFIX} prefix, prefix removed. */
    public Map<String, String> debeziumOverrides() {
        Map<String, String> out = new HashMap<>();
        originalsWithPrefix(DEBEZIUM_PREFIX).forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    private void validateCrossFields() {
        String bootstrap = bootstrapServers();
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new ConfigException("capture needs the Kafka property 'bootstrap.servers' in the spec's kafka"
                    + " section; got kafka keys " + new TreeSet<>(kafka.keySet()));
        }
        if (maxQueueSize() <= maxBatchSize()) {
            throw new ConfigException(MAX_QUEUE_SIZE, maxQueueSize(),
                    "must be larger than " + MAX_BATCH_SIZE + " (" + maxBatchSize() + ")");
        }
    }

    private static void rejectUnknownKeys(Map<String, ?> capture) {
        List<String> unknown = capture.keySet().stream()
                .filter(k -> !CONFIG_DEF.names().contains(k) && !k.startsWith(DEBEZIUM_PREFIX))
                .sorted()
                .toList();
        if (!unknown.isEmpty()) {
            throw new ConfigException("unknown capture setting(s) " + unknown + "; known settings are "
                    + new TreeSet<>(CONFIG_DEF.names()) + " and keys starting with '" + DEBEZIUM_PREFIX + "'");
        }
    }

    /** YAML gives numbers as Integer/Long; Kafka's SHORT and LONG parsers are strict about boxed types. */
    private static Map<String, Object> asStrings(Map<String, ?> raw) {
        Map<String, Object> out = new HashMap<>();
        raw.forEach((k, v) -> out.put(k, v == null ? null : String.valueOf(v)));
        return out;
    }
}
