package io.changeover.capture;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.changeover.transform.format.SourcePosition;

/**
 * Thread-safe progress counters of one capture, updated by the writer after Kafka acknowledged a batch and read by
 * status screens.
 */
final class CaptureProgress {
    private final Map<SourceCollection, Counters> collections = new LinkedHashMap<>();
    private final AtomicReference<CapturePhase> phase = new AtomicReference<>(CapturePhase.STARTING);
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong heartbeats = new AtomicLong();
    private final AtomicReference<SourcePosition> lastPosition = new AtomicReference<>(SourcePosition.ZERO);
    private final AtomicReference<SourcePosition> lastTick = new AtomicReference<>(SourcePosition.ZERO);
    private final AtomicReference<Instant> lastWriteAt = new AtomicReference<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    CaptureProgress(List<SourceCollection> captured) {
        captured.forEach(c -> collections.put(c, new Counters()));
    }

    void estimatedCount(SourceCollection collection, long count) {
        counters(collection).estimated.set(count);
    }

    /** One record acknowledged by Kafka. */
    void written(RoutedRecord route, Optional<SourcePosition> position) {
        if (route instanceof RoutedRecord.Change change) {
            events.incrementAndGet();
            Counters c = counters(change.collection());
            (change.snapshot() ? c.snapshot : c.changes).incrementAndGet();
            advancePhase(change.snapshot() && !change.lastOfSnapshot() ? CapturePhase.SNAPSHOT : CapturePhase.STREAMING);
        } else {
            heartbeats.incrementAndGet();
            advancePhase(CapturePhase.STREAMING);
        }
        position.ifPresent(p -> lastPosition.accumulateAndGet(p, (a, b) -> a.compareTo(b) >= 0 ? a : b));
    }

    /** Ticks at {@code position} are in every partition of every raw topic. */
    void ticked(SourcePosition position) {
        lastTick.accumulateAndGet(position, (a, b) -> a.compareTo(b) >= 0 ? a : b);
    }

    /** Position of the last ticks written; {@link SourcePosition#ZERO} before the first. */
    SourcePosition lastTick() {
        return lastTick.get();
    }

    void batchWritten() {
        lastWriteAt.set(Instant.now());
    }

    void failed(Throwable error) {
        failure.compareAndSet(null, error);
        phase.set(CapturePhase.FAILED);
    }

    void stopped() {
        phase.updateAndGet(p -> p == CapturePhase.FAILED ? p : CapturePhase.STOPPED);
    }

    CapturePhase phase() {
        return phase.get();
    }

    long eventsCaptured() {
        return events.get();
    }

    SourcePosition lastPosition() {
        return lastPosition.get();
    }

    Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    CaptureStatus status() {
        List<CollectionProgress> perCollection = collections.entrySet().stream()
                .map(e -> new CollectionProgress(e.getKey(), e.getValue().estimated.get(),
                        e.getValue().snapshot.get(), e.getValue().changes.get()))
                .toList();
        return new CaptureStatus(phase(), perCollection, events.get(), heartbeats.get(), lastPosition(),
                lastWriteAt.get(), failure());
    }

    /** Moves forward only: STARTING to SNAPSHOT to STREAMING; never out of FAILED or STOPPED. */
    private void advancePhase(CapturePhase next) {
        phase.updateAndGet(p -> switch (p) {
            case STARTING -> next;
            case SNAPSHOT -> next == CapturePhase.STREAMING ? next : p;
            default -> p;
        });
    }

    private Counters counters(SourceCollection collection) {
        Counters c = collections.get(collection);
        if (c == null) {
            throw new CaptureException("no progress counters for collection '" + collection + "'");
        }
        return c;
    }

    private static final class Counters {
        final AtomicLong estimated = new AtomicLong(-1);
        final AtomicLong snapshot = new AtomicLong();
        final AtomicLong changes = new AtomicLong();
    }
}
