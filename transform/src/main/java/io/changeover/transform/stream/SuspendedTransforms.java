package io.changeover.transform.stream;

import io.changeover.transform.format.RawRecord;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import io.changeover.transform.engine.CollectionTransform;

/**
 * In memory, per stream task: the transforms that stopped to wait for references, by source key, so the answer goes
 * on from the first {@code remap} step instead of parsing the raw record and running the steps before it again (a
 * third of the transform's work on a snapshot with references). An entry is used only for the very raw record it was
 * made from; after a restart, or once evicted (the oldest go beyond {@value #CAPACITY}), the raw record is transformed
 * whole, with the same result. Not state: nothing here is changelogged or needed for correctness.
 */
final class SuspendedTransforms {
    static final int CAPACITY = 4_096;
    private final Map<ByteBuffer, Entry> entries = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Entry> eldest) {
            return size() > CAPACITY;
        }
    };

    /** A suspended transform, the raw value and the parsed change it was made from. */
    record Entry(byte[] rawValue, RawRecord.Change event, CollectionTransform.Suspended suspended) {
    }

    void put(byte[] sourceKey, byte[] rawValue, RawRecord.Change event, CollectionTransform.Suspended suspended) {
        entries.put(ByteBuffer.wrap(sourceKey), new Entry(rawValue, event, suspended));
    }

    /** The entry made from exactly this raw value, or null. */
    Entry get(byte[] sourceKey, byte[] rawValue) {
        Entry entry = entries.get(ByteBuffer.wrap(sourceKey));
        return entry != null && Arrays.equals(entry.rawValue(), rawValue) ? entry : null;
    }

    void remove(byte[] sourceKey) {
        entries.remove(ByteBuffer.wrap(sourceKey));
    }
}
