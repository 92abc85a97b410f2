package io.changeover.transform.topics;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The one registry of Kafka topic names and group ids used by Changeover. No other class builds a topic name.
 *
 * <p>Every name starts with {@code changeover.<migration>.}, but for the transform's store changelogs that other
 * stages read ({@link #remapWaiting}), which Kafka Streams names; formats are documented in {@code docs/topics.md}.
 */
public final class Topics {
    private static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9_-]+");
    private final String migration;
    private final String prefix;

    private Topics(String migration) {
        this.migration = migration;
        this.prefix = "changeover." + migration + ".";
    }

    /** Topics of one migration; the name must be a legal topic segment ({@code [A-Za-z0-9_-]+}). */
    public static Topics of(String migration) {
        Objects.requireNonNull(migration, "migration");
        if (!LEGAL.matcher(migration).matches()) {
            throw new IllegalArgumentException("migration name '" + migration
                    + "' must match [A-Za-z0-9_-]+ (it becomes part of Kafka topic names)");
        }
        return new Topics(migration);
    }

    public String migration() {
        return migration;
    }

    /** Debezium change events of one source collection, as captured. Retained for replay. */
    public String raw(String database, String collection) {
        return prefix + "raw." + segment(database) + "." + segment(collection);
    }

    /** Target documents keyed by target {@code _id}; a tombstone deletes. */
    public String output(String targetCollection) {
        return prefix + "out." + segment(targetCollection);
    }

    /** Records that could not be transformed or written, with the reason in headers. */
    public String deadLetter() {
        return prefix + "dlq";
    }

    /**
     * Internal to the transform: ID-remap mappings of one referenced source collection and the requests of documents
     * referring to it, keyed by the referenced document's source id (so both meet in one partition).
     */
    public String remap(String sourceCollection) {
        return prefix + "remap." + segment(sourceCollection);
    }

    /**
     * Internal to the transform: answers to the remap requests of one referencing source collection, keyed by the
     * referencing document's raw-topic key (so they meet its change events in one partition).
     */
    public String resolved(String sourceCollection) {
        return prefix + "resolved." + segment(sourceCollection);
    }

    /** Internal to the transform: dedupe candidates of one source collection, keyed by target id. */
    public String dedupe(String sourceCollection) {
        return prefix + "dedupe." + segment(sourceCollection);
    }

    /**
     * The transform's store of how many documents of one referencing source collection wait for {@code remap} answers,
     * per stream task (one key per raw partition); its changelog is {@link #remapWaiting}.
     */
    public String remapWaitingStore(String sourceCollection) {
        return "remap-waiting-" + storeSegment(sourceCollection);
    }

    /**
     * How many documents of one referencing source collection wait for {@code remap} answers, per raw partition
     * ({@code io.changeover.transform.format.WaitingDocuments}), read by lag. It is Kafka Streams' changelog of
     * {@link #remapWaitingStore} (compacted, written in the transaction that commits the transform's input offsets), so
     * it is named as Streams names changelogs: {@code <application id>-<store>-changelog}.
     */
    public String remapWaiting(String sourceCollection) {
        return transformApplicationId() + "-" + remapWaitingStore(sourceCollection) + "-changelog";
    }

    /** Debezium heartbeats, so capture lag is right on an idle source. */
    public String heartbeat() {
        return prefix + "heartbeat";
    }

    /** Debezium engine offsets (resume tokens), stored in Kafka so a capture can move hosts. */
    public String captureOffsets() {
        return prefix + "capture-offsets";
    }

    /**
     * The capture's lease: one partition, whose assignment in the group {@link #captureLeaseGroupId()} makes one
     * capture process of the migration the active one; the others wait as standbys. Holds no records.
     */
    public String captureLease() {
        return prefix + "capture-lease";
    }

    /** Consumer group of the capture processes of the migration, competing for {@link #captureLease()}. */
    public String captureLeaseGroupId() {
        return "changeover-" + migration + "-capture-lease";
    }

    /** Prefix Debezium uses for its own topic naming ({@code topic.prefix}); never a real topic. */
    public String captureLogicalName() {
        return "changeover-" + migration;
    }

    /** Kafka Streams application id of the transform (its consumer group and internal-topic prefix). */
    public String transformApplicationId() {
        return "changeover-" + migration + "-transform";
    }

    /** Consumer group of the sink. */
    public String sinkGroupId() {
        return "changeover-" + migration + "-sink";
    }

    /** A store name's part: ASCII letters, digits, {@code _} and {@code -} as they are, anything else {@code _}. */
    private static String storeSegment(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            sb.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-') ? c : '_');
        }
        return sb.toString();
    }

    private static String segment(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            sb.append(Character.isLetterOrDigit(c) || c == '_' || c == '-' ? c : '_');
        }
        return sb.toString();
    }
}
