package io.changeover.embedded.mongo;

import java.util.ArrayList;
import java.util.List;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import io.netty.channel.Channel;

/**
 * An open change stream: a position in the oplog (events after it are still to come), the scope and the pipeline
 * stages that follow {@code $changeStream}. Each batch scans the oplog from the position by time index only, never
 * from the beginning.
 */
final class ChangeStreamCursor {

    private static final int SCAN_CHUNK = 1024;
    private static final long MAX_BATCH_BYTES = 8L * 1024 * 1024;
    /** MongoDB's largest document (BSONObjectMaxInternalSize, 16 MiB + 16 KiB): a larger event fails the getMore. */
    static final int MAX_EVENT_BYTES = 16 * 1024 * 1024 + 16 * 1024;
    /** Events estimated below this are not measured exactly (their stages would have to double them). */
    private static final long MEASURE_ABOVE_BYTES = MAX_EVENT_BYTES / 2;
    private static final int BSON_OBJECT_TOO_LARGE = 10334;

    private final long id;
    private final Channel owner;
    private final ChangeStreamScope scope;
    private final EventPipeline stages;
    private final FullDocumentMode fullDocument;
    private final TimeIndexedOplog oplog;
    private final ChangeEvents events;
    private long position;
    private boolean invalidated;

    ChangeStreamCursor(long id, Channel owner, ChangeStreamScope scope, EventPipeline stages,
                       FullDocumentMode fullDocument, long startAfter, TimeIndexedOplog oplog, ChangeEvents events) {
        this.id = id;
        this.owner = owner;
        this.scope = scope;
        this.stages = stages;
        this.fullDocument = fullDocument;
        this.position = startAfter;
        this.oplog = oplog;
        this.events = events;
    }

    /**
     * The next events, at most {@code limit}. When the scan reaches the end of the oplog, the position moves to the
     * latest cluster time, so the post-batch resume token of an idle stream keeps moving forward.
     */
    synchronized Batch next(int limit) {
        long latestBeforeScan = oplog.latest();
        List<Document> batch = new ArrayList<>();
        long bytes = 0;
        boolean reachedEnd = false;
        while (!invalidated && batch.size() < limit && bytes < MAX_BATCH_BYTES) {
            List<OplogEntry> chunk = oplog.readAfter(position, SCAN_CHUNK);
            int consumed = 0;
            for (OplogEntry entry : chunk) {
                position = entry.clusterTime();
                consumed++;
                if (scope.matches(entry)) {
                    bytes += addEvent(entry, batch);
                }
                if (invalidated || batch.size() >= limit || bytes >= MAX_BATCH_BYTES) {
                    break;
                }
            }
            if (chunk.size() < SCAN_CHUNK) {
                reachedEnd = consumed == chunk.size();
                break;
            }
        }
        if (reachedEnd && !invalidated) {
            position = Math.max(position, latestBeforeScan);
        }
        return new Batch(batch, ResumeToken.of(position), invalidated);
    }

    /**
     * Adds the entry's events, as the stages make them, to the batch; returns their estimated size. An event larger
     * than MongoDB's largest document fails the batch with BSONObjectTooLarge, as on MongoDB: resuming meets it
     * again, so a stream that may carry such documents must shrink them in its own stages.
     */
    private long addEvent(OplogEntry entry, List<Document> batch) {
        long bytes = 0;
        if (stages.mayPass(entry.operationType())) {
            ChangeEvents.Sized sized = events.toEvent(entry, fullDocument);
            for (Document event : stages.apply(sized)) {
                if (sized.estimatedBytes() > MEASURE_ABOVE_BYTES) {
                    refuseIfTooLarge(event);
                }
                batch.add(event);
            }
            bytes = sized.estimatedBytes();
        }
        if (scope.isInvalidatedBy(entry)) {
            batch.add(events.invalidate(entry));
            invalidated = true;
        }
        return bytes;
    }

    private static void refuseIfTooLarge(Document event) {
        int size = BsonBytes.encode(event).length;
        if (size > MAX_EVENT_BYTES) {
            throw new MongoServerError(BSON_OBJECT_TOO_LARGE, "BSONObjectTooLarge", "BSONObj size: " + size
                + " (0x" + Integer.toHexString(size).toUpperCase(java.util.Locale.ROOT) + ") is invalid. Size must be "
                + "between 0 and " + MAX_EVENT_BYTES + "(16MB) First element: _id: " + event.get("_id"));
        }
    }

    long id() {
        return id;
    }

    Channel owner() {
        return owner;
    }

    String namespace() {
        return scope.cursorNamespace();
    }

    /**
     * One batch of a change stream.
     *
     * @param events                 the events, possibly none
     * @param postBatchResumeToken   where to resume to continue after this batch
     * @param exhausted              true once the stream was invalidated: the cursor is closed
     */
    record Batch(List<Document> events, Document postBatchResumeToken, boolean exhausted) {
    }
}
