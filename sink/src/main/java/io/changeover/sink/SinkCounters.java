package io.changeover.sink;

import java.util.concurrent.atomic.AtomicLong;

import io.changeover.transform.format.SourcePosition;

/** Counters of the sink loop, written by its thread and read by status readers on any thread. */
final class SinkCounters {
    private final AtomicLong recordsRead = new AtomicLong();
    private final AtomicLong documentsWritten = new AtomicLong();
    private final AtomicLong documentsDeleted = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong lastPosition = new AtomicLong();
    private final AtomicLong stale = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();

    void applied(AppliedBatch batch) {
        recordsRead.addAndGet(batch.records());
        retried(batch);
    }

    /** A batch of held records written again: read before, so only what it wrote counts. */
    void retried(AppliedBatch batch) {
        documentsWritten.addAndGet(batch.upserts());
        documentsDeleted.addAndGet(batch.deletes());
        batches.incrementAndGet();
        stale.addAndGet(batch.stale());
        deadLettered.addAndGet(batch.rejected().size());
        lastPosition.accumulateAndGet(batch.lastPosition().value(),
                (a, b) -> Long.compareUnsigned(a, b) >= 0 ? a : b);
    }

    /** A held record that conflicted past the timeout, sent to the dead-letter topic. */
    void conflictDeadLettered() {
        deadLettered.incrementAndGet();
    }

    void committed() {
        commits.incrementAndGet();
    }

    SinkStatus snapshot(boolean running, Throwable failure) {
        return new SinkStatus(recordsRead.get(), documentsWritten.get(), documentsDeleted.get(), batches.get(),
                commits.get(), new SourcePosition(lastPosition.get()), running,
                failure == null ? null : failure.getMessage(), stale.get(), deadLettered.get());
    }
}
