package io.changeover.transform.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

import io.changeover.transform.format.IdentityKeys;
import io.changeover.transform.format.OutputRecords;
import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.step.IdResolver;
import io.changeover.transform.step.Resolution;

/**
 * The referencing side of ID remapping for one source collection, in three changelogged stores:
 * <ul>
 *   <li>documents: source key to its latest raw record ({@code {k, v}});</li>
 *   <li>references: (source key, referenced collection, referenced key) to what is known: {@code asked},
 *       {@code found} (with {@code id}), {@code gone}, or {@code expired} (waited longer than {@code wait});</li>
 *   <li>pending: (since, source key), so expired waits are found by a range scan in source-time order, and, after
 *       those keys, (0xFF, source key) to the position the document waits since.</li>
 * </ul>
 * and publishes how many documents wait ({@link WaitingCount}).
 * Deterministic: waits are measured in source time (positions of the collection's own change events), never by a
 * clock.
 */
final class PendingReferences {
    private static final String ASKED = "asked";
    private static final String FOUND = "found";
    private static final String GONE = "gone";
    private static final String EXPIRED = "expired";
    private final KeyValueStore<byte[], byte[]> documents;
    private final boolean rememberRaw;
    private final KeyValueStore<byte[], byte[]> references;
    private final KeyValueStore<byte[], byte[]> pending;
    private final WaitingCount waiting;
    /** No wait started before this position (a lower bound); null until a scan has found it. */
    private Long earliest;

    /** The stores of one stream task, and where it publishes how many documents wait. */
    record Stores(KeyValueStore<byte[], byte[]> documents, KeyValueStore<byte[], byte[]> references,
                  KeyValueStore<byte[], byte[]> pending, KeyValueStore<byte[], byte[]> waiting) {
    }

    /**
     * @param stores      documents: source key to the document's last raw record; references; pending waits; and the
     *                    count of waiting documents ({@link WaitingCount})
     * @param collection  the referencing source collection
     * @param partition   the task's raw partition
     * @param rememberRaw whether this writes {@code documents}; false when the lookup join upstream already has
     */
    PendingReferences(Stores stores, String collection, int partition, boolean rememberRaw) {
        this.rememberRaw = rememberRaw;
        this.documents = stores.documents();
        this.references = stores.references();
        this.pending = stores.pending();
        this.waiting = new WaitingCount(stores.waiting(), collection, partition, waits());
    }

    /** The positions the documents waiting now wait since: one (0xFF, source key) entry each, holding it. */
    private List<Long> waits() {
        List<Long> waits = new ArrayList<>();
        // to the end: a prefix scan of {0xFF} cannot compute the key after its prefix
        try (KeyValueIterator<byte[], byte[]> it = pending.range(new byte[]{(byte) 0xFF}, null)) {
            while (it.hasNext()) {
                waits.add(ByteBuffer.wrap(it.next().value).getLong());
            }
        }
        return waits;
    }

    /** A raw record of a referencing document, kept so it can be transformed again when an answer arrives. */
    record Stored(byte[] rawKey, byte[] rawValue) {
    }

    /** Resolves from the references store and notes what must still be asked. */
    final class StoreResolver implements IdResolver {
        private final byte[] sourceKey;
        private final Map<String, BsonValue> toAsk = new LinkedHashMap<>();
        private boolean waiting;

        private StoreResolver(byte[] sourceKey) {
            this.sourceKey = sourceKey;
        }

        @Override
        public Resolution resolve(String collection, BsonValue referencedId) {
            byte[] known = references.get(referenceKey(sourceKey, collection, referencedId));
            if (known == null) {
                waiting = true;
                toAsk.putIfAbsent(collection + "\u0000" + new String(IdentityKeys.of(referencedId), StandardCharsets.ISO_8859_1),
                        referencedId);
                return Resolution.PENDING;
            }
            BsonDocument state = OutputRecords.document(known);
            return switch (state.getString("state").getValue()) {
                case FOUND -> Resolution.found(state.get("id"));
                case ASKED -> {
                    waiting = true;
                    yield Resolution.PENDING;
                }
                default -> Resolution.MISSING;
            };
        }

        @Override
        public boolean waiting() {
            return waiting;
        }

        /** (referenced collection, referenced id) pairs never asked before. */
        List<Map.Entry<String, BsonValue>> toAsk() {
            List<Map.Entry<String, BsonValue>> list = new ArrayList<>();
            toAsk.forEach((k, v) -> list.add(Map.entry(k.substring(0, k.indexOf('\u0000')), v)));
            return list;
        }
    }

    StoreResolver resolver(byte[] sourceKey) {
        return new StoreResolver(sourceKey);
    }

    void remember(byte[] sourceKey, byte[] rawKey, byte[] rawValue) {
        if (!rememberRaw) {
            return; // the lookup join stored this very record before passing it on
        }
        documents.put(sourceKey, OutputRecords.value(new BsonDocument("k", new BsonBinary(rawKey))
                .append("v", new BsonBinary(rawValue))));
    }

    Stored stored(byte[] sourceKey) {
        byte[] value = documents.get(sourceKey);
        if (value == null) {
            return null;
        }
        BsonDocument document = OutputRecords.document(value);
        return new Stored(document.getBinary("k").getData(), document.getBinary("v").getData());
    }

    /** Marks the references as asked, and the document as waiting since {@code position} unless it already was. */
    void await(byte[] sourceKey, List<Map.Entry<String, BsonValue>> asked, SourcePosition position) {
        for (Map.Entry<String, BsonValue> reference : asked) {
            references.put(referenceKey(sourceKey, reference.getKey(), reference.getValue()), state(ASKED, null));
        }
        if (pending.get(waitingKey(sourceKey)) == null) {
            pending.put(waitingKey(sourceKey), ByteBuffer.allocate(Long.BYTES).putLong(position.value()).array());
            pending.put(pendingKey(position.value(), sourceKey), sourceKey);
            if (earliest != null && position.value() < earliest) {
                earliest = position.value();
            }
            waiting.started(position);
        }
    }

    /** The document no longer waits. */
    void settled(byte[] sourceKey) {
        byte[] since = pending.get(waitingKey(sourceKey));
        if (since != null) {
            long position = ByteBuffer.wrap(since).getLong();
            pending.delete(pendingKey(position, sourceKey));
            pending.delete(waitingKey(sourceKey));
            waiting.ended(new SourcePosition(position));
        }
    }

    /** The document was deleted: forget it and what it knew. */
    void forget(byte[] sourceKey) {
        settled(sourceKey);
        documents.delete(sourceKey);
        List<byte[]> keys = new ArrayList<>();
        try (KeyValueIterator<byte[], byte[]> it = references.prefixScan(RemapMessages.prefix(sourceKey),
                new ByteArraySerializer())) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        keys.forEach(references::delete);
    }

    /**
     * Records an answer; true when it changed what the document knows (and the document still exists), so it must be
     * transformed again.
     */
    boolean answer(BsonDocument answer) {
        byte[] sourceKey = IdentityKeys.of(answer.get("s"));
        if (documents.get(sourceKey) == null) {
            return false;
        }
        byte[] key = referenceKey(sourceKey, answer.getString("c").getValue(), answer.get("k"));
        byte[] next = answer.containsKey("id") ? state(FOUND, answer.get("id")) : state(GONE, null);
        byte[] previous = references.get(key);
        if (previous != null && java.util.Arrays.equals(previous, next)) {
            return false;
        }
        references.put(key, next);
        return true;
    }

    /**
     * True while some reference of the document is still asked and unanswered: transforming it again now would only
     * wait again, so an answer that leaves others open is recorded without a transform.
     */
    boolean stillAsking(byte[] sourceKey) {
        try (KeyValueIterator<byte[], byte[]> it = references.prefixScan(RemapMessages.prefix(sourceKey),
                new ByteArraySerializer())) {
            while (it.hasNext()) {
                if (ASKED.equals(OutputRecords.document(it.next().value).getString("state").getValue())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Source keys of documents waiting since before {@code threshold}; their asked references become expired. Called
     * for every change, so it scans the store only when a wait may be due: the earliest wait's start is remembered
     * (learned by the first scan after a restart, lowered by {@link #await}). A scan per change would seek past the
     * deletions of every settled wait, which RocksDB keeps until compaction, and grew slower the longer it ran.
     */
    List<byte[]> expire(long threshold) {
        if (earliest != null && earliest >= threshold) {
            return List.of();
        }
        List<KeyValue<byte[], byte[]>> due = new ArrayList<>();
        long next = Long.MAX_VALUE;
        try (KeyValueIterator<byte[], byte[]> it = pending.range(new byte[0], new byte[]{(byte) 0xFF})) {
            while (it.hasNext()) {
                KeyValue<byte[], byte[]> entry = it.next();
                if (entry.key.length < Long.BYTES || entry.key[0] == (byte) 0xFF) {
                    break;  // the waiting keys, after every pending key
                }
                long since = ByteBuffer.wrap(entry.key).getLong();
                if (since >= threshold) {
                    next = since;
                    break;
                }
                due.add(entry);
            }
        }
        earliest = next;
        List<byte[]> expired = new ArrayList<>();
        for (KeyValue<byte[], byte[]> entry : due) {
            byte[] sourceKey = entry.value;
            expireAsked(sourceKey);
            settled(sourceKey);
            expired.add(sourceKey);
        }
        return expired;
    }

    private void expireAsked(byte[] sourceKey) {
        List<byte[]> asked = new ArrayList<>();
        try (KeyValueIterator<byte[], byte[]> it = references.prefixScan(RemapMessages.prefix(sourceKey),
                new ByteArraySerializer())) {
            it.forEachRemaining(kv -> {
                if (ASKED.equals(OutputRecords.document(kv.value).getString("state").getValue())) {
                    asked.add(kv.key);
                }
            });
        }
        asked.forEach(k -> references.put(k, state(EXPIRED, null)));
    }

    private static byte[] referenceKey(byte[] sourceKey, String collection, BsonValue referencedId) {
        return RemapMessages.storeKey(sourceKey, collection.getBytes(StandardCharsets.UTF_8), IdentityKeys.of(referencedId));
    }

    /** Where the position a document waits since is kept: after every pending key (positions start below 0x80). */
    private static byte[] waitingKey(byte[] sourceKey) {
        return ByteBuffer.allocate(1 + sourceKey.length).put((byte) 0xFF).put(sourceKey).array();
    }

    private static byte[] pendingKey(long since, byte[] sourceKey) {
        return ByteBuffer.allocate(Long.BYTES + sourceKey.length).putLong(since).put(sourceKey).array();
    }

    private static byte[] state(String state, BsonValue id) {
        BsonDocument document = new BsonDocument("state", new BsonString(state));
        if (id != null) {
            document.put("id", id);
        }
        return OutputRecords.value(document);
    }
}
