package io.changeover.transform.stream;

import java.util.Arrays;

import org.apache.kafka.streams.state.KeyValueStore;

import io.changeover.transform.format.WaitingDocuments;

/**
 * How many documents of one stream task (a raw partition of a referencing collection) wait for {@code remap}
 * answers, published for lag: once their raw records and asks are consumed, no topic shows that work, and a wait
 * that nothing answers (a reference cycle through a step that may change {@code _id}) lasts until {@code wait}
 * seconds of source time have passed. The count is kept in a store of one key whose changelog is the topic lag reads
 * ({@link io.changeover.transform.topics.Topics#remapWaiting}): the store's cache writes it at most once a commit,
 * in the transaction that commits the input offsets, so a reader of committed records never sees the offsets of a
 * record that started a wait without the wait. Not the source of truth: counted again from the pending waits at every
 * start of the task.
 */
final class WaitingCount {
    private final KeyValueStore<byte[], byte[]> store;
    private final String collection;
    private final int partition;
    private final byte[] key;
    private long count;

    /** @param count the documents waiting now, counted from the pending waits; written unless already stored */
    WaitingCount(KeyValueStore<byte[], byte[]> store, String collection, int partition, long count) {
        this.store = store;
        this.collection = collection;
        this.partition = partition;
        this.key = WaitingDocuments.key(collection, partition);
        this.count = count;
        byte[] value = new WaitingDocuments(collection, partition, count).value();
        if (!Arrays.equals(store.get(key), value)) {
            store.put(key, value);
        }
    }

    /** A document started waiting. */
    void started() {
        count++;
        write();
    }

    /** A document no longer waits. */
    void ended() {
        count--;
        write();
    }

    private void write() {
        store.put(key, new WaitingDocuments(collection, partition, count).value());
    }
}
