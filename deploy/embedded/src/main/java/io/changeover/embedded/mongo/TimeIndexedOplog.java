package io.changeover.embedded.mongo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

import de.bwaldvogel.mongo.exception.MongoServerError;

/**
 * The oplog: entries indexed by cluster time, bounded by an entry count and a byte budget. The oldest entries are
 * trimmed first; reading from a position whose successors were trimmed fails with {@code ChangeStreamHistoryLost}
 * (code 286), as on a real replica set. Appends come from one writer at a time (the server's write lock); reads
 * are lock-free. Listeners are told after each append so waiting change streams can wake up.
 */
final class TimeIndexedOplog {

    static final int CHANGE_STREAM_HISTORY_LOST = 286;

    private final ConcurrentSkipListMap<Long, OplogEntry> entries = new ConcurrentSkipListMap<>();
    private final List<Runnable> appendListeners = new CopyOnWriteArrayList<>();
    private final int maxEntries;
    private final long maxBytes;
    private long bytes;
    private int count;
    private volatile long latest;
    private volatile long trimmedThrough = -1;

    TimeIndexedOplog(int maxEntries, long maxBytes, long startTime) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("oplog capacity must be at least 1 entry, got " + maxEntries);
        }
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.latest = startTime;
    }

    /** Appends entries (in increasing cluster time), trims to capacity, then wakes the listeners. */
    synchronized void append(Collection<OplogEntry> newEntries) {
        if (newEntries.isEmpty()) {
            return;
        }
        for (OplogEntry entry : newEntries) {
            entries.put(entry.clusterTime(), entry);
            bytes += entry.sizeInBytes();
            count++;
            latest = Math.max(latest, entry.clusterTime());
        }
        trimToCapacity();
        appendListeners.forEach(Runnable::run);
    }

    private void trimToCapacity() {
        while (count > 1 && (count > maxEntries || bytes > maxBytes)) {
            var oldest = entries.pollFirstEntry();
            bytes -= oldest.getValue().sizeInBytes();
            count--;
            trimmedThrough = oldest.getKey();
        }
    }

    /**
     * Up to {@code limit} entries with a cluster time greater than {@code after}, oldest first.
     *
     * @throws MongoServerError ChangeStreamHistoryLost if entries after {@code after} were already trimmed
     */
    List<OplogEntry> readAfter(long after, int limit) {
        ConcurrentNavigableMap<Long, OplogEntry> tail = entries.tailMap(after, false);
        List<OplogEntry> result = new ArrayList<>(Math.min(limit, 256));
        for (OplogEntry entry : tail.values()) {
            if (result.size() >= limit) {
                break;
            }
            result.add(entry);
        }
        requireRetained(after);
        return result;
    }

    /** Fails with ChangeStreamHistoryLost if entries after {@code after} are no longer retained. */
    void requireRetained(long after) {
        long trimmed = trimmedThrough;
        if (trimmed > after) {
            throw new MongoServerError(CHANGE_STREAM_HISTORY_LOST, "ChangeStreamHistoryLost",
                "Resume of change stream was not possible, as the resume point may no longer be in the oplog: "
                    + "requested events after " + ClusterClock.secondsOf(after) + "." + ClusterClock.incrementOf(after)
                    + " but the oplog was trimmed through " + ClusterClock.secondsOf(trimmed) + "."
                    + ClusterClock.incrementOf(trimmed) + " (raise EmbeddedMongo.builder().oplogCapacity(...))");
        }
    }

    /** Cluster time of the latest entry (or the start time while the oplog is empty). */
    long latest() {
        return latest;
    }

    long trimmedThrough() {
        return trimmedThrough;
    }

    synchronized List<OplogEntry> snapshot() {
        return new ArrayList<>(entries.values());
    }

    /**
     * Restores persisted state; only before the server accepts clients. The persisted latest time replaces this
     * process's start time: the last operation is the last write before the restart, whenever the restart happened
     * ({@code operationTime} stays there until the next write).
     *
     * @param persistedLatest 0 if nothing was persisted (the start time stays)
     */
    synchronized void restore(List<OplogEntry> persisted, long persistedLatest, long persistedTrimmedThrough) {
        trimmedThrough = persistedTrimmedThrough;
        if (persistedLatest > 0) {
            latest = persistedLatest;
        }
        for (OplogEntry entry : persisted) {
            entries.put(entry.clusterTime(), entry);
            bytes += entry.sizeInBytes();
            count++;
        }
        trimToCapacity();
    }

    void onAppend(Runnable listener) {
        appendListeners.add(listener);
    }

    synchronized int size() {
        return count;
    }
}
