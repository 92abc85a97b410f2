package io.changeover.sink;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.bson.BsonValue;

/**
 * Records a unique secondary index refused after the rest of their batch was written ({@link AppliedBatch#conflicts}),
 * held by the sink and tried again on later polls with a doubling backoff: the record that moves the value away may
 * come later (another partition, a later poll). A held record ends written, overtaken by a newer state of its
 * document, or, once it has conflicted for longer than the timeout, in the dead-letter topic with the reason (which
 * names the document holding the value). Offsets are never committed past a held record, so a restarted sink reads
 * it again. Used by the sink's loop thread only.
 */
final class HeldConflicts {
    private final long timeoutMs;
    private final long initialBackoffMs;
    private final long maxBackoffMs;
    /** (collection, target id) to the held record of that document: the newest one refused. */
    private final Map<Key, Held> held = new LinkedHashMap<>();

    HeldConflicts(long timeoutMs, long initialBackoffMs, long maxBackoffMs) {
        this.timeoutMs = timeoutMs;
        this.initialBackoffMs = initialBackoffMs;
        this.maxBackoffMs = maxBackoffMs;
    }

    private record Key(String collection, BsonValue id) {
    }

    /** A held record: since when its document has conflicted, how often it was tried, when it is due again. */
    record Held(String collection, AppliedBatch.Rejected conflict, long sinceMs, int attempts, long dueMs) {
        OutputRecord record() {
            return conflict.record();
        }
    }

    /** Holds a record its batch could not write; a held older record of the same document gives way to it. */
    void hold(String collection, AppliedBatch.Rejected conflict, long nowMs) {
        Key key = new Key(collection, conflict.record().id());
        Held previous = held.get(key);
        if (previous != null && previous.record().position().compareTo(conflict.record().position()) > 0) {
            return;
        }
        long since = previous == null ? nowMs : previous.sinceMs();
        int attempts = previous == null ? 0 : previous.attempts();
        held.put(key, new Held(collection, conflict, since, attempts, nowMs + backoff(attempts)));
    }

    /** Takes the held records due at {@code nowMs} (of partitions still assigned), for one more try. */
    List<Held> takeDue(long nowMs, Set<TopicPartition> assigned) {
        List<Held> due = new ArrayList<>();
        held.values().removeIf(h -> {
            if (!assigned.contains(partition(h.record()))) {
                return true;   // revoked: its new owner reads it again from the committed offset
            }
            if (h.dueMs() <= nowMs) {
                due.add(h);
                return true;
            }
            return false;
        });
        return due;
    }

    /**
     * A taken record conflicted again: held once more with a longer backoff, or, past the timeout, returned for
     * the dead-letter topic with how long it conflicted.
     */
    Optional<AppliedBatch.Rejected> conflictedAgain(Held taken, AppliedBatch.Rejected conflict, long nowMs) {
        long seconds = (nowMs - taken.sinceMs()) / 1000;
        if (nowMs - taken.sinceMs() >= timeoutMs) {
            return Optional.of(new AppliedBatch.Rejected(conflict.record(), conflict.reason()
                    + " (still refused after " + seconds + " s and " + (taken.attempts() + 1) + " tries)"));
        }
        held.put(new Key(taken.collection(), conflict.record().id()), new Held(taken.collection(), conflict,
                taken.sinceMs(), taken.attempts() + 1, nowMs + backoff(taken.attempts() + 1)));
        return Optional.empty();
    }

    /** The lowest offset held in {@code partition}: offsets from there on are not committed. */
    OptionalLong lowestOffset(TopicPartition partition) {
        return held.values().stream().filter(h -> partition(h.record()).equals(partition))
                .mapToLong(h -> h.record().offset()).min();
    }

    int size() {
        return held.size();
    }

    private long backoff(int attempts) {
        return Math.min(maxBackoffMs, initialBackoffMs << Math.min(attempts, 20));
    }

    private static TopicPartition partition(OutputRecord record) {
        return new TopicPartition(record.topic(), record.partition());
    }
}
