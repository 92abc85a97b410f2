package io.changeover.transform;

import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

import io.changeover.transform.blob.ObjectStoreConfig;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.topics.TopicProvisioner;
import io.changeover.transform.topics.Topics;

/**
 * Settings of the transform stage, from the spec's {@code transform:} section. Keys starting with {@code streams.}
 * are passed to Kafka Streams as they are (without the prefix), after the spec's {@code kafka:} properties and the
 * settings below.
 */
public final class TransformConfig extends AbstractConfig {
    public static final String PROCESSING_GUARANTEE = "processing.guarantee";
    public static final String NUM_STREAM_THREADS = "num.stream.threads";
    public static final String COMMIT_INTERVAL_MS = "commit.interval.ms";
    public static final String STATE_DIR = "state.dir";
    public static final String CACHE_MAX_BYTES = "cache.max.bytes";
    public static final String ID_STORE_TYPE = "id.store.type";
    public static final String RAW_TOPIC_PARTITIONS = "raw.topic.partitions";
    public static final String OUTPUT_TOPIC_PARTITIONS = "output.topic.partitions";
    public static final String TOPIC_REPLICATION_FACTOR = "topic.replication.factor";
    public static final String CLOSE_TIMEOUT_MS = "close.timeout.ms";
    public static final String STREAMS_PREFIX = "streams.";

    private static final ConfigDef CONFIG = ObjectStoreConfig.define(new ConfigDef()
            .define(PROCESSING_GUARANTEE, Type.STRING, StreamsConfig.EXACTLY_ONCE_V2,
                    ValidString.in(StreamsConfig.EXACTLY_ONCE_V2), Importance.HIGH,
                    "exactly_once_v2, the only guarantee offered: each raw record's outputs, dead letters and store "
                            + "updates commit atomically (needs a broker with transactions). The transform decides "
                            + "tombstones, mapping publications and remap requests by comparing a change with its "
                            + "stored state, so a crash that kept a store update but lost its outputs (possible "
                            + "under at_least_once) would leave old targets and unanswered references; "
                            + "at_least_once is refused, here and as streams.processing.guarantee.")
            .define(NUM_STREAM_THREADS, Type.INT, 1, Range.atLeast(1), Importance.MEDIUM,
                    "Stream threads in this process. More than the raw topics' total partitions is useless.")
            .define(COMMIT_INTERVAL_MS, Type.LONG, 100L, Range.atLeast(0), Importance.MEDIUM,
                    "How often progress is committed. With exactly_once_v2 output becomes visible to the sink only "
                            + "at a commit, so this bounds the transform's added latency.")
            .define(STATE_DIR, Type.STRING, "", Importance.MEDIUM,
                    "Directory of the local state stores. Empty: Kafka Streams' default (java.io.tmpdir/kafka-streams). "
                            + "Use a durable directory so restarts need not restore the stores from their changelogs.")
            .define(CACHE_MAX_BYTES, Type.LONG, 10L * 1024 * 1024, Range.atLeast(0), Importance.LOW,
                    "Bytes of record cache in front of the state stores, over all threads.")
            .define(ID_STORE_TYPE, Type.STRING, "rocksdb", ValidString.in("rocksdb", "in_memory"), Importance.LOW,
                    "Local store of source id to last target id: rocksdb (on disk) or in_memory. Both are "
                            + "backed by a changelog topic; in_memory is restored in full at every start.")
            .define(RAW_TOPIC_PARTITIONS, Type.INT, 4, Range.atLeast(1), Importance.MEDIUM,
                    "Partitions of raw topics when the transform creates them (capture may have created them "
                            + "first; existing topics are left as they are). Keep it equal to capture's setting.")
            .define(OUTPUT_TOPIC_PARTITIONS, Type.INT, 4, Range.atLeast(1), Importance.MEDIUM,
                    "Partitions of the output topics and the dead-letter topic when the transform creates them.")
            .define(TOPIC_REPLICATION_FACTOR, Type.SHORT, (short) -1,
                    ConfigDef.LambdaValidator.with(TransformConfig::validateReplication, () -> "-1 or [1,...]"),
                    Importance.MEDIUM, "Replication factor of the topics the transform creates, including Kafka "
                            + "Streams' internal topics. -1: the broker's default.replication.factor.")
            .define(CLOSE_TIMEOUT_MS, Type.LONG, 30_000L, Range.atLeast(0), Importance.LOW,
                    "How long close() waits for the stream threads to finish and commit."));

    private final ObjectStoreConfig objectStore;

    /** Reads settings; an unknown key (not defined here, not {@code streams.*}) is a {@link ConfigException}. */
    public TransformConfig(Map<?, ?> originals) {
        super(CONFIG, originals, false);
        for (Object key : originals.keySet()) {
            String name = String.valueOf(key);
            if (!CONFIG.names().contains(name) && !name.startsWith(STREAMS_PREFIX)) {
                throw new ConfigException("unknown transform setting '" + name + "'; expected one of "
                        + new TreeSet<>(CONFIG.names()) + " or a Kafka Streams property prefixed by '"
                        + STREAMS_PREFIX + "'");
            }
        }
        Object overridden = originals.get(STREAMS_PREFIX + StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
        if (overridden != null && !StreamsConfig.EXACTLY_ONCE_V2.equals(String.valueOf(overridden))) {
            throw new ConfigException(STREAMS_PREFIX + StreamsConfig.PROCESSING_GUARANTEE_CONFIG, overridden,
                    "the transform runs exactly_once_v2 only (see " + PROCESSING_GUARANTEE + ")");
        }
        objectStore = ObjectStoreConfig.from(this);
    }

    /** The settings in a spec's {@code transform:} section. */
    public static TransformConfig of(MigrationSpec spec) {
        return new TransformConfig(spec.transform());
    }

    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /**
     * Kafka Streams properties: the spec's Kafka properties, these settings, a short producer retry backoff, then
     * {@code streams.*} overrides.
     */
    public Properties streamsProperties(MigrationSpec spec) {
        Properties props = new Properties();
        props.putAll(spec.kafka());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, Topics.of(spec.name()).transformApplicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, getString(PROCESSING_GUARANTEE));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, getInt(NUM_STREAM_THREADS));
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, getLong(COMMIT_INTERVAL_MS));
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, getLong(CACHE_MAX_BYTES));
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor());
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), TopicProvisioner.MAX_MESSAGE_BYTES);
        props.put(StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG), TopicProvisioner.MAX_MESSAGE_BYTES);
        // Under exactly_once_v2 on brokers with transactions v2, the first write of a transaction to a partition is
        // refused (CONCURRENT_TRANSACTIONS) while the previous transaction's markers are being written, and is retried
        // after retry.backoff.ms (100 ms, doubling to 1 s). A commit every 100 ms across dozens of partitions
        // (changelogs, remap, resolved, dedupe, output) then spends most of its time in that backoff; retry soon.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 5);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG), 50);
        if (!getString(STATE_DIR).isEmpty()) {
            props.put(StreamsConfig.STATE_DIR_CONFIG, getString(STATE_DIR));
        }
        props.putAll(originalsWithPrefix(STREAMS_PREFIX));
        return props;
    }

    public boolean inMemoryStores() {
        return getString(ID_STORE_TYPE).equals("in_memory");
    }

    public int rawTopicPartitions() {
        return getInt(RAW_TOPIC_PARTITIONS);
    }

    public int outputTopicPartitions() {
        return getInt(OUTPUT_TOPIC_PARTITIONS);
    }

    public short replicationFactor() {
        return getShort(TOPIC_REPLICATION_FACTOR);
    }

    /** The object store settings ({@code object.store.*}), checked together. */
    public ObjectStoreConfig objectStore() {
        return objectStore;
    }

    public long closeTimeoutMs() {
        return getLong(CLOSE_TIMEOUT_MS);
    }

    private static void validateReplication(String name, Object value) {
        if (value instanceof Short s && (s == 0 || s < -1)) {
            throw new ConfigException(name, value, "expected -1 (broker default) or at least 1");
        }
    }
}
