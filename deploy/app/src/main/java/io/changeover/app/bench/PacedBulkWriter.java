package io.changeover.app.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;

import io.changeover.app.sample.SampleDataset;

/**
 * The streaming benchmark's writer: a steady rate of changes (half inserts of completed jobs, half updates of jobs it
 * inserted), sent as a small unordered bulk write every {@value #TICK_MILLIS} ms so that rates of thousands per second
 * are reachable. Each written document carries its send time ({@value #SENT_AT}, epoch microseconds) and the phase.
 */
final class PacedBulkWriter implements AutoCloseable {
    static final String SENT_AT = "bench_sent_at";
    static final String PHASE = "bench_phase";
    private static final long TICK_MILLIS = 10;
    private static final int MAX_BULK = 2_000;

    private final MongoCollection<BsonDocument> source;
    private final SampleDataset dataset;
    private final double rate;
    private final String phase;
    private final SplittableRandom random;
    private final List<BsonValue> inserted = new ArrayList<>();
    private final Thread thread;
    private int nextIndex;
    private volatile boolean running = true;
    private volatile long written;
    private volatile Throwable failure;

    PacedBulkWriter(MongoCollection<BsonDocument> source, SampleDataset dataset, int firstIndex, double rate, String phase, long seed) {
        this.source = source;
        this.dataset = dataset;
        this.nextIndex = firstIndex;
        this.rate = rate;
        this.phase = phase;
        this.random = new SplittableRandom(seed);
        this.thread = new Thread(this::run, "bench-writer-" + phase);
    }

    PacedBulkWriter start() {
        thread.start();
        return this;
    }

    long written() {
        return written;
    }

    int nextIndex() {
        return nextIndex;
    }

    Throwable failure() {
        return failure;
    }

    private void run() {
        long start = System.nanoTime();
        try {
            while (running) {
                double elapsed = (System.nanoTime() - start) / 1e9;
                long due = (long) (rate * elapsed) - written;
                if (due > 0) {
                    write((int) Math.min(due, MAX_BULK));
                }
                Thread.sleep(TICK_MILLIS); // pacing: the next tick's share of the rate
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private void write(int operations) {
        long sentAt = TargetLatencyProbe.nowMicros();
        List<WriteModel<BsonDocument>> writes = new ArrayList<>(operations);
        for (int i = 0; i < operations; i++) {
            if (inserted.isEmpty() || random.nextBoolean()) {
                BsonDocument doc = dataset.document(nextIndex++)
                        .append("status", new BsonString("completed"))
                        .append(SENT_AT, new BsonInt64(sentAt)).append(PHASE, new BsonString(phase));
                inserted.add(doc.get("_id"));
                writes.add(new InsertOneModel<>(doc));
            } else {
                BsonValue id = inserted.get(random.nextInt(inserted.size()));
                writes.add(new UpdateOneModel<>(Filters.eq("_id", id), Updates.combine(
                        Updates.set(SENT_AT, new BsonInt64(sentAt)), Updates.set("input_data.name", "edit-" + written))));
            }
        }
        source.bulkWrite(writes, new BulkWriteOptions().ordered(false));
        written += operations;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
