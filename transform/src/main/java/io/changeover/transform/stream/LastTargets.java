package io.changeover.transform.stream;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonValue;

import io.changeover.transform.format.OutputRecords;
import io.changeover.transform.format.SourcePosition;

/**
 * The store layout of what a collection's processor last wrote per source document: key the source id's
 * {@link io.changeover.transform.format.IdentityKeys identity}; value (BSON) {@code {t: <target>, s: <source id>, p:
 * <position>}} where the target is {@code <target collection> 0 <output key>}, the source id exact and the position
 * that of the last change that wrote another target or source id, or of the last snapshot read (a change that keeps
 * both is not recorded: a snapshot end compares positions with the snapshot's start only, and every document the
 * snapshot read carries at least that start). A source document with no target (never written, filtered out,
 * deleted, rejected) has no entry.
 */
final class LastTargets {
    private final KeyValueStore<byte[], byte[]> store;

    /** What one source document last wrote. */
    record Entry(byte[] target, BsonValue sourceId, SourcePosition position) {
    }

    LastTargets(KeyValueStore<byte[], byte[]> store) {
        this.store = store;
    }

    /** What {@code sourceKey} last wrote, or null. */
    Entry get(byte[] sourceKey) {
        byte[] value = store.get(sourceKey);
        return value == null ? null : decode(value);
    }

    void put(byte[] sourceKey, byte[] target, BsonValue sourceId, SourcePosition position) {
        store.put(sourceKey, OutputRecords.value(new BsonDocument("t", new BsonBinary(target)).append("s", sourceId)
                .append("p", new BsonInt64(position.value()))));
    }

    void delete(byte[] sourceKey) {
        store.delete(sourceKey);
    }

    /** Every entry whose last change is older than {@code position} (a full scan: for the rare snapshot end). */
    List<Entry> olderThan(SourcePosition position) {
        List<Entry> older = new ArrayList<>();
        try (KeyValueIterator<byte[], byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<byte[], byte[]> kv = it.next();
                Entry entry = decode(kv.value);
                if (entry.position().compareTo(position) < 0) {
                    older.add(entry);
                }
            }
        }
        return older;
    }

    private static Entry decode(byte[] value) {
        BsonDocument d = OutputRecords.document(value);
        return new Entry(d.getBinary("t").getData(), d.get("s"), new SourcePosition(d.getInt64("p").getValue()));
    }
}
