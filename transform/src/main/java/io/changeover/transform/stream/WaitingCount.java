package io.changeover.transform.stream;

import java.util.Arrays;
import java.util.function.Supplier;

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
 * the oldest change held here is.
 */
final class WaitingCount {
    private final KeyValueStore<byte[], byte[]> store;
    private final String collection;
    private final int partition;
    private final byte[] key;
    private long count;
    private SourcePosition oldest;

    /**
     * @param count  the documents waiting now, counted from the pending waits; written unless already stored
     * @param oldest the earliest position among their waits (ignored when none waits)
     */
    WaitingCount(KeyValueStore<byte[], byte[]> store, String collection, int partition, long count, SourcePosition oldest) {
        this.store = store;
        this.collection = collection;
        this.partition = partition;
        this.key = WaitingDocuments.key(collection, partition);
        this.count = count;
        this.oldest = count == 0 ? SourcePosition.ZERO : oldest;
        byte[] value = current().value();
        if (!Arrays.equals(store.get(key), value)) {
            store.put(key, value);
        }
    }

    /** A document started waiting, since {@code since}. */
    void started(SourcePosition since) {
        count++;
        if (oldest.equals(SourcePosition.ZERO) || since.compareTo(oldest) < 0) {
            oldest = since;
        }
        write();
    }

    /**
     * A document that waited since {@code since} no longer waits.
     *
     * @param nextOldest the earliest position among the waits left; asked only when the oldest one ended
     */
    void ended(SourcePosition since, Supplier<SourcePosition> nextOldest) {
        count--;
        if (count == 0) {
            oldest = SourcePosition.ZERO;
        } else if (since.equals(oldest)) {
            oldest = nextOldest.get();
        }
        write();
    }

    private WaitingDocuments current() {
        return new WaitingDocuments(collection, partition, count, oldest);
    }

    private void write() {
        store.put(key, current().value());
    }
}
