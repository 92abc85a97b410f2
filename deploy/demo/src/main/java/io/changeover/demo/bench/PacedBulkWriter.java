package io.changeover.demo.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.WriteModel;

/**
 * The streaming benchmark's writer: a steady rate of the changes a {@link BenchWorkload} makes, sent as a small
 * unordered bulk write every {@value #TICK_MILLIS} ms so that rates of thousands per second are reachable. Each
 * document written carries its send time ({@value #SENT_AT}, epoch microseconds) and the phase.
 */
final class PacedBulkWriter implements AutoCloseable {
    static final String SENT_AT = "bench_sent_at";
    static final String PHASE = "bench_phase";
    private static final long TICK_MILLIS = 10;
    private static final int MAX_BULK = 2_000;

    private final MongoCollection<BsonDocument> source;
    private final BenchWorkload workload;
    private final double rate;
    private final String phase;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long written;
    private volatile Throwable failure;
    private volatile long cpuNanos;

    PacedBulkWriter(MongoCollection<BsonDocument> source, BenchWorkload workload, double rate, String phase) {
        this.source = source;
        this.workload = workload;
        this.rate = rate;
        this.phase = phase;
        this.thread = new Thread(this::run, "bench-writer-" + phase);
    }

    PacedBulkWriter start() {
        thread.start();
        return this;
    }

    long written() {
        return written;
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
        } finally {
            cpuNanos = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        }
    }

    /** CPU time the writer's thread used, known once it has ended ({@link #close}); -1 where not measured. */
    long cpuNanos() {
        return cpuNanos;
    }

    private void write(int operations) {
        BsonDocument stamp = new BsonDocument(SENT_AT, new BsonInt64(TargetLatencyProbe.nowMicros()))
                .append(PHASE, new BsonString(phase));
        List<WriteModel<BsonDocument>> writes = new ArrayList<>(operations);
        for (int i = 0; i < operations; i++) {
            WriteModel<BsonDocument> write = workload.next(stamp);
            if (write != null) {
                writes.add(write);
            }
        }
        if (!writes.isEmpty()) {
            source.bulkWrite(writes, new BulkWriteOptions().ordered(false));
        }
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
