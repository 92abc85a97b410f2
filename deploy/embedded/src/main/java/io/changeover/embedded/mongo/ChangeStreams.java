package io.changeover.embedded.mongo;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.CursorNotFoundException;
import de.bwaldvogel.mongo.exception.MongoServerError;
import io.netty.channel.Channel;

/**
 * The open change-stream cursors and their getMores. A getMore that finds no new event waits (await-data) for up to
 * its {@code maxTimeMS} (one second if absent, as MongoDB does) without holding any thread: it is parked, completed
 * by the oplog's append notification or by a timer, and the reply is written when it completes. The network event
 * loops therefore keep serving other clients while a stream waits.
 */
final class ChangeStreams implements AutoCloseable {

    static final int DEFAULT_FIRST_BATCH = 101;
    private static final int DEFAULT_GET_MORE_BATCH = 1000;
    private static final long DEFAULT_AWAIT_MILLIS = 1000;

    private final Map<Long, ChangeStreamCursor> cursors = new ConcurrentHashMap<>();
    private final List<ParkedGetMore> parked = new ArrayList<>();
    private final ScheduledExecutorService waker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "embedded-mongo-change-stream-waker");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();
    private final TimeIndexedOplog oplog;
    private final ChangeEvents events;
    private final LongSupplier cursorIds;
    private final FailPoints failPoints;

    ChangeStreams(TimeIndexedOplog oplog, ChangeEvents events, LongSupplier cursorIds, FailPoints failPoints) {
        this.oplog = oplog;
        this.events = events;
        this.cursorIds = cursorIds;
        this.failPoints = failPoints;
        oplog.onAppend(this::scheduleWake);
    }

    /** Opens a stream positioned after {@code startAfter} and returns it with its first batch. */
    ChangeStreamCursor open(Channel owner, ChangeStreamScope scope, EventPipeline stages, FullDocumentMode fullDocument,
                            long startAfter) {
        oplog.requireRetained(startAfter);
        ChangeStreamCursor cursor = new ChangeStreamCursor(cursorIds.getAsLong(), owner, scope, stages, fullDocument,
            startAfter, oplog, events);
        cursors.put(cursor.id(), cursor);
        return cursor;
    }

    boolean owns(long cursorId) {
        return cursors.containsKey(cursorId);
    }

    /**
     * The next batch of a stream, now if there are events (or no wait was asked for), else once an event arrives or
     * the wait times out. The future fails with the server error to report (e.g. ChangeStreamHistoryLost).
     */
    CompletableFuture<Document> getMore(long cursorId, Document command) {
        ChangeStreamCursor cursor = cursors.get(cursorId);
        if (cursor == null) {
            return CompletableFuture.failedFuture(new CursorNotFoundException(cursorId));
        }
        MongoServerError injected = failPoints.nextGetMoreFailure();
        if (injected != null) {
            forget(cursor);   // a getMore that fails kills its cursor, as on MongoDB
            return CompletableFuture.failedFuture(injected);
        }
        int batchSize = positiveOr(command.get("batchSize"), DEFAULT_GET_MORE_BATCH);
        long awaitMillis = command.get("maxTimeMS") instanceof Number
            ? ((Number) command.get("maxTimeMS")).longValue() : DEFAULT_AWAIT_MILLIS;
        ParkedGetMore getMore = new ParkedGetMore(cursor, batchSize);
        try {
            ChangeStreamCursor.Batch batch = cursor.next(batchSize);
            if (!batch.events().isEmpty() || batch.exhausted() || awaitMillis <= 0) {
                return CompletableFuture.completedFuture(reply(cursor, batch, "nextBatch"));
            }
        } catch (RuntimeException e) {
            forget(cursor);
            return CompletableFuture.failedFuture(e);
        }
        park(getMore, awaitMillis);
        return getMore.reply;
    }

    /** The reply document for a batch: {@code cursor: {id, ns, <batchField>, postBatchResumeToken}}. */
    Document reply(ChangeStreamCursor cursor, ChangeStreamCursor.Batch batch, String batchField) {
        if (batch.exhausted()) {
            forget(cursor);
        }
        Document cursorDocument = new Document("id", batch.exhausted() ? 0L : cursor.id())
            .append("ns", cursor.namespace())
            .append(batchField, batch.events())
            .append("postBatchResumeToken", batch.postBatchResumeToken());
        return new Document("cursor", cursorDocument).append("ok", 1.0);
    }

    /** Closes the given cursors if they are change streams; returns the ids that were. */
    List<Long> kill(List<?> cursorIds) {
        List<Long> killed = new ArrayList<>();
        for (Object id : cursorIds) {
            long cursorId = ((Number) id).longValue();
            ChangeStreamCursor cursor = cursors.get(cursorId);
            if (cursor != null) {
                forget(cursor);
                killed.add(cursorId);
            }
        }
        return killed;
    }

    /** Closes the streams a disconnected client left open. */
    void closeAllOf(Channel channel) {
        cursors.values().stream().filter(cursor -> cursor.owner() == channel).toList().forEach(this::forget);
    }

    int openCount() {
        return cursors.size();
    }

    private void forget(ChangeStreamCursor cursor) {
        cursors.remove(cursor.id());
    }

    private void park(ParkedGetMore getMore, long awaitMillis) {
        synchronized (parked) {
            parked.add(getMore);
        }
        waker.schedule(() -> expire(getMore), awaitMillis, TimeUnit.MILLISECONDS);
        scheduleWake(); // an event may have arrived between the first look and parking
    }

    private void scheduleWake() {
        if (wakeScheduled.compareAndSet(false, true)) {
            waker.execute(this::wakeParked);
        }
    }

    private void wakeParked() {
        wakeScheduled.set(false);
        for (ParkedGetMore getMore : parkedSnapshot()) {
            getMore.tryComplete(false);
        }
    }

    private void expire(ParkedGetMore getMore) {
        getMore.tryComplete(true);
    }

    private List<ParkedGetMore> parkedSnapshot() {
        synchronized (parked) {
            return new ArrayList<>(parked);
        }
    }

    private void unpark(ParkedGetMore getMore) {
        synchronized (parked) {
            parked.remove(getMore);
        }
    }

    /**
     * Answers every waiting getMore with InterruptedAtShutdown, as MongoDB does at shutdown: a resumable error, so
     * the driver resumes from its last token once a server is back.
     */
    @Override
    public void close() {
        waker.shutdownNow();
        synchronized (parked) {
            for (Iterator<ParkedGetMore> it = parked.iterator(); it.hasNext(); ) {
                it.next().reply.completeExceptionally(ChangeStreamErrors.interruptedAtShutdown());
                it.remove();
            }
        }
        cursors.clear();
    }

    private static int positiveOr(Object value, int fallback) {
        return value instanceof Number && ((Number) value).intValue() > 0 ? ((Number) value).intValue() : fallback;
    }

    /** A getMore waiting for events. */
    private final class ParkedGetMore {
        final ChangeStreamCursor cursor;
        final int batchSize;
        final CompletableFuture<Document> reply = new CompletableFuture<>();

        ParkedGetMore(ChangeStreamCursor cursor, int batchSize) {
            this.cursor = cursor;
            this.batchSize = batchSize;
        }

        /** Answers if there are events now, or unconditionally once the wait has expired. */
        void tryComplete(boolean expired) {
            if (reply.isDone()) {
                unpark(this);
                return;
            }
            try {
                ChangeStreamCursor.Batch batch = cursor.next(batchSize);
                if (expired || !batch.events().isEmpty() || batch.exhausted()) {
                    unpark(this);
                    reply.complete(ChangeStreams.this.reply(cursor, batch, "nextBatch"));
                }
            } catch (RuntimeException e) {
                unpark(this);
                forget(cursor);
                reply.completeExceptionally(e);
            }
        }
    }
}
