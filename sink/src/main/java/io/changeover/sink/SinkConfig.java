package io.changeover.sink;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

import com.mongodb.WriteConcern;

import io.changeover.transform.spec.MigrationSpec;

/**
 * Settings of the sink, read from the spec's {@code sink:} section. Kafka client settings (bootstrap servers,
 * security) come from the spec's {@code kafka:} section and are not part of this class.
 */
public final class SinkConfig extends AbstractConfig {
    public static final String BATCH_MAX_RECORDS = "batch.max.records";
    public static final String BATCH_MAX_BYTES = "batch.max.bytes";
    public static final String POLL_TIMEOUT_MS = "poll.timeout.ms";
    public static final String MAX_POLL_RECORDS = "max.poll.records";
    public static final String WRITE_CONCERN = "write.concern";
    public static final String WRITE_CONCERN_TIMEOUT_MS = "write.concern.timeout.ms";
    public static final String OUTPUT_TOPIC_PARTITIONS = "output.topic.partitions";
    public static final String TOPIC_REPLICATION_FACTOR = "topic.replication.factor";
    public static final String CLOSE_TIMEOUT_MS = "close.timeout.ms";
    public static final String RETRY_BACKOFF_INITIAL_MS = "retry.backoff.initial.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
    public static final String RETRY_MAX_ELAPSED_MS = "retry.max.elapsed.ms";
    public static final String UNIQUE_CONFLICT_TIMEOUT_MS = "unique.conflict.timeout.ms";
    public static final String METADATA_COLLECTION = "metadata.collection";
    public static final String TOMBSTONE_COLLECTION = "tombstone.collection";
    public static final String SCHEMA_VERSION = "schema.version";
    public static final String POSITION_GUARD = "position.guard";
    public static final String INDEXES = "indexes";
    public static final String INDEXES_CREATE = "indexes.create";

    private static final ConfigDef DEF = new ConfigDef()
            .define(BATCH_MAX_RECORDS, Type.INT, 1000, Range.atLeast(1), Importance.MEDIUM,
                    "Most operations in one bulk write to the target. A poll with more records for one collection "
                            + "is written in several bulk writes, in order.")
            .define(BATCH_MAX_BYTES, Type.LONG, 8L * 1024 * 1024, Range.atLeast(1), Importance.MEDIUM,
                    "Most document bytes (BSON) in one bulk write. A single larger document is written alone.")
            .define(POLL_TIMEOUT_MS, Type.LONG, 500L, Range.between(1, 60_000), Importance.LOW,
                    "How long one poll of the output topics waits for records; also bounds how quickly close() "
                            + "is noticed by an idle sink.")
            .define(MAX_POLL_RECORDS, Type.INT, 5000, Range.atLeast(1), Importance.MEDIUM,
                    "Most records returned by one poll (Kafka consumer max.poll.records). Offsets are committed "
                            + "once per poll, after every record of it is acknowledged by the target.")
            .define(WRITE_CONCERN, Type.STRING, "majority", new WriteConcernValidator(), Importance.HIGH,
                    "Write concern of target writes: 'majority' or a number of members (1 or more). Offsets are "
                            + "committed only after the target acknowledged the write at this level, so 0 "
                            + "(unacknowledged) is refused.")
            .define(WRITE_CONCERN_TIMEOUT_MS, Type.LONG, 0L, Range.atLeast(0), Importance.LOW,
                    "wtimeout of the write concern in milliseconds; 0 waits without limit.")
            .define(OUTPUT_TOPIC_PARTITIONS, Type.INT, 4, Range.atLeast(1), Importance.LOW,
                    "Partitions of an output topic the sink creates because it is missing (same key and default "
                            + "as the transform's). Existing topics are left as they are.")
            .define(TOPIC_REPLICATION_FACTOR, Type.SHORT, (short) -1, new BrokerDefaultOrAtLeastOne(),
                    Importance.LOW, "Replication factor of an output topic the sink creates (same key as "
                            + "the transform's); -1 uses the broker's default.replication.factor.")
            .define(CLOSE_TIMEOUT_MS, Type.LONG, 30_000L, Range.atLeast(0), Importance.LOW,
                    "How long close() waits for the batch in flight to be written and committed.")
            .define(RETRY_BACKOFF_INITIAL_MS, Type.LONG, 200L, Range.atLeast(1), Importance.LOW,
                    "First wait before writing a batch again after a retriable target error (unreachable, not "
                            + "primary, timeout); doubles on each attempt, with jitter.")
            .define(RETRY_BACKOFF_MAX_MS, Type.LONG, 10_000L, Range.atLeast(1), Importance.LOW,
                    "Longest wait between two attempts of one batch.")
            .define(RETRY_MAX_ELAPSED_MS, Type.LONG, 180_000L, Range.between(0, 270_000), Importance.MEDIUM,
                    "How long one batch is retried before the sink stops with the last error; must stay below the "
                            + "consumer's max.poll.interval.ms (5 minutes). A target gone for less than this is "
                            + "waited for; nothing is lost and nothing needs an operator.")
            .define(UNIQUE_CONFLICT_TIMEOUT_MS, Type.LONG, 60_000L, Range.atLeast(0), Importance.MEDIUM,
                    "How long a write refused by a unique secondary index of the target is tried again before it "
                            + "goes to the dead-letter topic. Such a conflict is usually reordering: the document "
                            + "holding the value gets a newer state that moves it away, in the same batch (written "
                            + "again after the rest of the batch) or later (held, tried again on later polls with the "
                            + "retry backoff; offsets are not committed past it, so lag stays above zero). The "
                            + "dead letter names the document holding the value.")
            .define(METADATA_COLLECTION, Type.STRING, "changeover_metadata", new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM, "Collection of the target database holding the migration's metadata "
                            + "(name, spec checksum, schema version, last applied position per collection, "
                            + "verification results); see docs/metadata.md.")
            .define(TOMBSTONE_COLLECTION, Type.STRING, "changeover_tombstones", new ConfigDef.NonEmptyString(),
                    Importance.LOW, "Collection of the target database remembering the position of every applied "
                            + "delete, so an older upsert replayed later cannot bring a document back. Dropped at "
                            + "cutover.")
            .define(SCHEMA_VERSION, Type.STRING, "1", new ConfigDef.NonEmptyString(), Importance.LOW,
                    "The schema version the target is at once this migration is applied; recorded in the "
                            + "metadata collection for services and cutover.")
            .define(POSITION_GUARD, Type.STRING, "conditional", ConfigDef.ValidString.in("conditional", "read-check"),
                    Importance.LOW, "How writes are kept from moving a document backwards (docs/sink.md): "
                            + "'conditional' puts the position check in each write's filter (atomic, also against a "
                            + "second sink instance during a rebalance); 'read-check' reads the stored positions "
                            + "of a batch first and writes by _id (for servers that scan the collection for a "
                            + "filter on _id and another field, such as the in-JVM test server).")
            .define(INDEXES, Type.STRING, "", new IndexesValidator(), Importance.MEDIUM,
                    "Indexes to create on the target: '<collection>: <field>[:-1], ... [unique]' separated by ';', "
                            + "e.g. 'jobs: status, submitted_at:-1; users: email unique'.")
            .define(INDEXES_CREATE, Type.STRING, "before", ConfigDef.ValidString.in("before", "after"),
                    Importance.MEDIUM, "When the declared indexes are created: 'before' the sink writes anything, or "
                            + "'after' the initial load, once the sink first caught up with its output topics "
                            + "(faster for large loads; a unique index over duplicates then stops the sink).");

    private SinkConfig(Map<String, ?> settings) {
        super(DEF, settings, false);
    }

    /** The definitions of every sink setting, with types, defaults, validators and documentation. */
    public static ConfigDef configDef() {
        return DEF;
    }

    /** Sink settings from the spec's {@code sink:} section; fails on unknown keys and invalid values. */
    public static SinkConfig from(MigrationSpec spec) {
        return of(spec.sink(), spec.origin());
    }

    /**
     * Sink settings from a map as loaded from YAML (numbers and strings are both accepted).
     *
     * @param origin where the settings come from, for error messages (a spec file path); may be null
     */
    public static SinkConfig of(Map<String, ?> settings, String origin) {
        Set<String> unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(DEF.names());
        if (!unknown.isEmpty()) {
            throw new ConfigException("unknown sink setting(s) " + unknown + (origin == null ? "" : " in " + origin)
                    + "; known: " + new TreeSet<>(DEF.names()));
        }
        Map<String, Object> asText = new HashMap<>();
        settings.forEach((k, v) -> asText.put(k, v == null ? null : v.toString()));
        return new SinkConfig(asText);
    }

    public int batchMaxRecords() {
        return getInt(BATCH_MAX_RECORDS);
    }

    public long batchMaxBytes() {
        return getLong(BATCH_MAX_BYTES);
    }

    public long pollTimeoutMs() {
        return getLong(POLL_TIMEOUT_MS);
    }

    public int maxPollRecords() {
        return getInt(MAX_POLL_RECORDS);
    }

    public int outputTopicPartitions() {
        return getInt(OUTPUT_TOPIC_PARTITIONS);
    }

    public short topicReplicationFactor() {
        return getShort(TOPIC_REPLICATION_FACTOR);
    }

    public long closeTimeoutMs() {
        return getLong(CLOSE_TIMEOUT_MS);
    }

    public long uniqueConflictTimeoutMs() {
        return getLong(UNIQUE_CONFLICT_TIMEOUT_MS);
    }

    public long retryBackoffInitialMs() {
        return getLong(RETRY_BACKOFF_INITIAL_MS);
    }

    public long retryBackoffMaxMs() {
        return getLong(RETRY_BACKOFF_MAX_MS);
    }

    public RetryPolicy retryPolicy() {
        return new RetryPolicy(getLong(RETRY_BACKOFF_INITIAL_MS), getLong(RETRY_BACKOFF_MAX_MS),
                getLong(RETRY_MAX_ELAPSED_MS));
    }

    public String metadataCollection() {
        return getString(METADATA_COLLECTION);
    }

    public String tombstoneCollection() {
        return getString(TOMBSTONE_COLLECTION);
    }

    public BulkApplier.Guard positionGuard() {
        return "read-check".equals(getString(POSITION_GUARD)) ? BulkApplier.Guard.READ_CHECK
                : BulkApplier.Guard.CONDITIONAL;
    }

    public IndexDeclarations indexes() {
        return IndexDeclarations.parse(getString(INDEXES));
    }

    public boolean indexesAfterLoad() {
        return "after".equals(getString(INDEXES_CREATE));
    }

    public String schemaVersion() {
        return getString(SCHEMA_VERSION);
    }

    /** The target write concern: majority or w members, with the configured wtimeout. */
    public WriteConcern writeConcern() {
        String w = getString(WRITE_CONCERN).trim();
        WriteConcern concern = "majority".equalsIgnoreCase(w) ? WriteConcern.MAJORITY : new WriteConcern(Integer.parseInt(w));
        long timeout = getLong(WRITE_CONCERN_TIMEOUT_MS);
        return timeout == 0 ? concern : concern.withWTimeout(timeout, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Accepts 'majority' or a whole number of members of at least 1. */
    static final class WriteConcernValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String w = value == null ? "" : value.toString().trim();
            if ("majority".equalsIgnoreCase(w)) {
                return;
            }
            try {
                if (Integer.parseInt(w) >= 1) {
                    return;
                }
            } catch (NumberFormatException notANumber) {
                // reported below
            }
            throw new ConfigException(name, value, "expected 'majority' or a number of members of at least 1 "
                    + "(the sink commits offsets only after the target acknowledged the write)");
        }

        @Override
        public String toString() {
            return "majority, 1, 2, ...";
        }
    }

    /** Accepts index declarations {@link IndexDeclarations#parse} can read. */
    static final class IndexesValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                IndexDeclarations.parse(value == null ? "" : value.toString());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "<collection>: <field>[:-1], ... [unique]; ...";
        }
    }

    /** Accepts -1 (the broker's default) or a number of at least 1. */
    static final class BrokerDefaultOrAtLeastOne implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            long n = ((Number) value).longValue();
            if (n != -1 && n < 1) {
                throw new ConfigException(name, value, "expected -1 (broker default) or at least 1");
            }
        }

        @Override
        public String toString() {
            return List.of("-1", "[1,...]").toString();
        }
    }
}
