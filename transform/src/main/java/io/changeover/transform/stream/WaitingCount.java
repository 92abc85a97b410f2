package io.changeover.transform.stream;

import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

import org.apache.kafka.streams.state.KeyValueStore;

import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.format.WaitingDocuments;

/**
 * How many documents of one stream task (a raw partition of a referencing collection) wait for {@code remap}
 * answers, published for lag: once their raw records and asks are consumed, no topic shows that work, and a wait
 * that nothing answers (a reference cycle through a step that may change {@code _id}) lasts until {@code wait}
 * seconds of source time have passed. The count is kept in a store of one key whose changelog is the topic lag reads
 * ({@link io.changeover.transform.topics.Topics#remapWaiting}): the store's cache writes it at most once a commit,
 * in the transaction that commits the input offsets, so a reader of committed records never sees the offsets of a
 * record that started a wait without the wait. Not the source of truth: counted again from the pending waits at every
 * start of the task. Besides the count, the position the longest-waiting document waits since, so lag can say how old
 * the oldest change held here is: kept in memory, ordered, so a wait's end costs no store read (a seek per ended wait
 * cost the re-key bench twice its p99).
 */
final class WaitingCount {
    private final KeyValueStore<byte[], byte[]> store;
    private final String collection;
    private final int partition;
    private final byte[] key;
    /** The positions the waiting documents wait since, with how many wait since each: the oldest is the first. */
    private final TreeMap<Long, Integer> since = new TreeMap<>(Long::compareUnsigned);
    private long count;

    /**
     * @param waits the positions the documents waiting now wait since, one per document (from the pending waits);
     *              the count is written unless already stored
     */
    WaitingCount(KeyValueStore<byte[], byte[]> store, String collection, int partition, List<Long> waits) {
        this.store = store;
        this.collection = collection;
        this.partition = partition;
        this.key = WaitingDocuments.key(collection, partition);
        waits.forEach(this::add);
        this.count = waits.size();
        byte[] value = current().value();
        if (!Arrays.equals(store.get(key), value)) {
            store.put(key, value);
        }
    }

    /** A document started waiting, since {@code position}. */
    void started(SourcePosition position) {
        count++;
        add(position.value());
        write();
    }

    /** A document that waited since {@code position} no longer waits. */
    void ended(SourcePosition position) {
        count--;
        since.computeIfPresent(position.value(), (p, n) -> n == 1 ? null : n - 1);
        write();
    }

    private void add(long position) {
        since.merge(position, 1, Integer::sum);
    }

    private WaitingDocuments current() {
        return new WaitingDocuments(collection, partition, count,
                since.isEmpty() ? SourcePosition.ZERO : new SourcePosition(since.firstKey()));
    }

    private void write() {
        store.put(key, current().value());
    }
}
