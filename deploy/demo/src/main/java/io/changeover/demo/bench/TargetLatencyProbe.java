package io.changeover.demo.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
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
    /** The slowest writes seen, to tell a stall of the whole pipeline from a few documents held back. */
    private final PriorityQueue<SlowWrite> slowest = new PriorityQueue<>(Comparator.comparingLong(SlowWrite::micros));
    private final long openedAt = nowMicros();
    private static final int SLOWEST_KEPT = 3;
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
            long latency = nowMicros() - sentAt;
            recorder.record(latency);
            keepIfSlow(doc, sentAt - openedAt, latency);
        }
    }

    /** The target id, and the source document it came from where the spec keeps it. */
    private static String abbreviated(BsonDocument doc) {
        return doc.get("_id") + (doc.containsKey("legacy_id") ? " from " + doc.get("legacy_id") : "");
    }

    private synchronized void keepIfSlow(BsonDocument doc, long sentAfter, long latency) {
        if (slowest.size() == SLOWEST_KEPT && slowest.peek().micros() >= latency) {
            return;
        }
        slowest.add(new SlowWrite(abbreviated(doc), sentAfter, latency));
        if (slowest.size() > SLOWEST_KEPT) {
            slowest.poll();
        }
    }

    /** The phase's slowest writes, slowest first: which documents, sent when, visible how late. */
    synchronized List<SlowWrite> slowest() {
        List<SlowWrite> list = new ArrayList<>(slowest);
        list.sort(Comparator.comparingLong(SlowWrite::micros).reversed());
        return list;
    }

    /** A write seen in the target: the change the target saw, when it was sent (since the probe opened), how late it appeared. */
    record SlowWrite(String write, long sentAfterMicros, long micros) {
        @Override
        public String toString() {
            return String.format("%n  %s sent at +%.1f s, visible after %.1f s", write, sentAfterMicros / 1e6,
                    micros / 1e6);
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
