package io.changeover.app.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.client.MongoCollection;

/**
 * Plays the services that keep writing during a migration: at a target rate, inserts new jobs (dataset indexes beyond
 * its size), updates jobs ({@code status} changes both ways between completed and running, field edits, removing a
 * legacy field), replaces whole jobs and deletes jobs it knows exist. Random choices come from a seed.
 *
 * <p>Assumes the dataset was loaded into the collection and that nothing else deletes from it. Runs on its own thread
 * after {@link #start()} (or on the caller's, through {@link #run()}) until {@link #close()}. A failed write (the
 * server going away) stops it; the failure is kept for {@link #failure()}.
 */
public final class LiveWriter implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveWriter.class);

    private final MongoCollection<BsonDocument> collection;
    private final SampleDataset dataset;
    private final SplittableRandom random;
    private final Pacer pacer;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<ObjectId> existing;
    private final AtomicLong inserts = new AtomicLong();
    private final AtomicLong updates = new AtomicLong();
    private final AtomicLong replaces = new AtomicLong();
    private final AtomicLong deletes = new AtomicLong();
    private volatile int liveJobs;
    private volatile Throwable failure;
    private volatile Thread thread;
    private int nextIndex;

    /**
     * @param collection   where {@code dataset} was loaded
     * @param opsPerSecond target rate of acknowledged operations
     * @param seed         seed of the operation mix (independent of the dataset's seed)
     */
    public LiveWriter(MongoCollection<BsonDocument> collection, SampleDataset dataset, double opsPerSecond, long seed) {
        this.collection = collection;
        this.dataset = dataset;
        this.random = new SplittableRandom(seed);
        this.pacer = new Pacer(opsPerSecond, System::nanoTime, n -> !stop.await(n, TimeUnit.NANOSECONDS));
        this.existing = new ArrayList<>(dataset.size());
        for (int i = 0; i < dataset.size(); i++) {
            existing.add(dataset.id(i));
        }
        this.liveJobs = existing.size();
        this.nextIndex = dataset.size();
    }

    /** Starts writing on a thread of its own. */
    public synchronized LiveWriter start() {
        if (thread != null) {
            throw new IllegalStateException("live writer already started");
        }
        thread = new Thread(this, "changeover-live-writer");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    @Override
    public void run() {
        try {
            while (stop.getCount() > 0 && pacer.awaitNext()) {
                writeOne();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
            LOG.warn("live writer stopped after {} operations: {}", counts().total(), e.getMessage());
        } finally {
            stopped.countDown();
        }
    }

    private void writeOne() {
        int dice = random.nextInt(100);
        if (existing.isEmpty() || dice < 25) {
            insert();
        } else if (dice < 55) {
            updateStatus(pick());
        } else if (dice < 75) {
            editFields(pick());
        } else if (dice < 85) {
            replace(pick());
        } else {
            delete();
        }
    }

    private void insert() {
        BsonDocument job = dataset.document(nextIndex++);
        collection.insertOne(job);
        existing.add(job.getObjectId("_id").getValue());
        liveJobs = existing.size();
        inserts.incrementAndGet();
    }

    /** Sets a status drawn like the dataset's: completed jobs go back to running and running ones complete. */
    private void updateStatus(ObjectId id) {
        String status = SampleDataset.STATUSES.get(random.nextInt(SampleDataset.STATUSES.size()));
        collection.updateOne(byId(id), new BsonDocument("$set", new BsonDocument("status", new BsonString(status))));
        updates.incrementAndGet();
    }

    private void editFields(ObjectId id) {
        BsonDocument update = switch (random.nextInt(3)) {
            case 0 -> new BsonDocument("$set", new BsonDocument("owner",
                    new BsonString(String.format("user%03d", random.nextInt(40)))));
            case 1 -> new BsonDocument("$set", new BsonDocument("input_data.params.evalue",
                    new BsonDouble(Math.pow(10, -(1 + random.nextInt(10))))));
            default -> new BsonDocument("$unset", new BsonDocument("legacy_flag", new BsonString("")));
        };
        collection.updateOne(byId(id), update);
        updates.incrementAndGet();
    }

    /** Replaces the job with a freshly generated one under the same id. */
    private void replace(ObjectId id) {
        BsonDocument job = dataset.document(dataset.size() + random.nextInt(Math.max(1, dataset.size())));
        job.put("_id", new BsonObjectId(id));
        collection.replaceOne(byId(id), job);
        replaces.incrementAndGet();
    }

    private void delete() {
        int at = random.nextInt(existing.size());
        ObjectId id = existing.get(at);
        collection.deleteOne(byId(id));
        existing.set(at, existing.get(existing.size() - 1));
        existing.remove(existing.size() - 1);
        liveJobs = existing.size();
        deletes.incrementAndGet();
    }

    private ObjectId pick() {
        return existing.get(random.nextInt(existing.size()));
    }

    private static BsonDocument byId(ObjectId id) {
        return new BsonDocument("_id", new BsonObjectId(id));
    }

    public LiveWriterCounts counts() {
        return new LiveWriterCounts(inserts.get(), updates.get(), replaces.get(), deletes.get());
    }

    /** Jobs that exist according to this writer: the dataset plus its inserts minus its deletes. */
    public int liveJobs() {
        return liveJobs;
    }

    /** The write error that stopped the writer, if one did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    public boolean isRunning() {
        return thread != null && stopped.getCount() > 0;
    }

    /** Waits until the writer has stopped; true if it did within the timeout. */
    public boolean awaitStop(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops after the operation in flight; waits up to 30 s for it when running on its own thread. */
    @Override
    public void close() {
        stop.countDown();
        if (thread != null) {
            try {
                if (!awaitStop(Duration.ofSeconds(30))) {
                    LOG.warn("live writer did not stop within 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
