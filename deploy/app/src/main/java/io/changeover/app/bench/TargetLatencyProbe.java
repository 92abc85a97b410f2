package io.changeover.app.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Set;

import org.bson.BsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.MongoException;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.FullDocument;

/**
 * Watches the target collection and records, for every document written during the current phase, the time from the
 * source write ({@value PacedBulkWriter#SENT_AT} stamped by the writer) to the document becoming visible in the
 * target, once per write: the first time a target document shows that send time. It observes the target from
 * outside, like a service would, and never asks the pipeline.
 */
final class TargetLatencyProbe implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TargetLatencyProbe.class);
    private final MongoChangeStreamCursor<ChangeStreamDocument<BsonDocument>> cursor;
    private final String phase;
    private final LatencyRecorder recorder = new LatencyRecorder();
    /** (target id, send time) of every write already seen: a write counts once, when it first becomes visible. */
    private final Set<String> seen = new HashSet<>();
    private final Thread thread;
    private volatile boolean running = true;

    TargetLatencyProbe(MongoCollection<BsonDocument> target, String phase) {
        this.phase = phase;
        this.cursor = target.watch().fullDocument(FullDocument.UPDATE_LOOKUP).cursor();
        this.thread = new Thread(this::run, "bench-latency-probe");
        thread.setDaemon(true);
        thread.start();
    }

    LatencyRecorder latencies() {
        return recorder;
    }

    private void run() {
        try {
            while (running) {
                ChangeStreamDocument<BsonDocument> event = cursor.tryNext();
                if (event != null) {
                    record(event.getFullDocument());
                }
            }
        } catch (MongoException | IllegalStateException e) {
            if (running) {
                LOG.warn("latency probe stopped: {}", e.getMessage());
            }
        }
    }

    private void record(BsonDocument doc) {
        if (doc == null || !doc.isInt64(PacedBulkWriter.SENT_AT) || !doc.isString(PacedBulkWriter.PHASE)
                || !phase.equals(doc.getString(PacedBulkWriter.PHASE).getValue())) {
            return;
        }
        long sentAt = doc.getInt64(PacedBulkWriter.SENT_AT).getValue();
        if (seen.add(doc.get("_id") + "@" + sentAt)) { // a rewrite (a child remapped again, say) is not a new write
            recorder.record(nowMicros() - sentAt);
        }
    }

    static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(3_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cursor.close();
    }
}
