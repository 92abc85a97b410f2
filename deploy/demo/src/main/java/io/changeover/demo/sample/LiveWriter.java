package io.changeover.demo.sample;

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
import org.bson.BsonInt32;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.ReplaceOptions;

/**
 * Plays the services that keep writing during a migration: at a target rate, inserts new jobs (dataset indexes beyond
 * its size, with their recovered matrix when they have one), updates jobs ({@code status} changes both ways between
 * completed and running, field edits, removing a legacy field), now and then edits a recovered matrix in the side
 * collection, replaces whole jobs (writing the new payload's recovered matrix under the job's id) and deletes jobs it
 * knows exist (their recovered matrix stays: the side collection is an old copy that does not follow deletes).
 * Random choices come from a seed.
 *
 * <p>Assumes the dataset was loaded into the database ({@link SampleDataset#loadInto(MongoDatabase)}) and that
 * nothing else deletes from it. Runs on its own thread
 * after {@link #start()} (or on the caller's, through {@link #run()}) until {@link #close()}. A failed write (the
 * server going away) stops it, unless it outlasts outages ({@link #outlasting(Duration)}); the failure is kept for
 * {@link #failure()}.
 */
public final class LiveWriter implements Runnable, DemoWriter {
    private static final Logger LOG = LoggerFactory.getLogger(LiveWriter.class);

    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);
    private final MongoCollection<BsonDocument> collection;
    private final MongoCollection<BsonDocument> matrices;
    private final SampleDataset dataset;
    private final SplittableRandom random;
    private final Pacer pacer;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<ObjectId> existing;
    private final List<ObjectId> withMatrix = new ArrayList<>();
    private final AtomicLong inserts = new AtomicLong();
    private final AtomicLong updates = new AtomicLong();
    private final AtomicLong replaces = new AtomicLong();
    private final AtomicLong deletes = new AtomicLong();
    private volatile int liveJobs;
    private volatile Throwable failure;
    private volatile Thread thread;
    private volatile OutageRetry retry = new OutageRetry(Duration.ZERO);
    private int nextIndex;

    /**
     * @param source       the database {@code dataset} was loaded into
     * @param opsPerSecond target rate of acknowledged operations
     * @param seed         seed of the operation mix (independent of the dataset's seed)
     */
    public LiveWriter(MongoDatabase source, SampleDataset dataset, double opsPerSecond, long seed) {
        this.collection = source.getCollection(SampleDataset.COLLECTION, BsonDocument.class);
        this.matrices = source.getCollection(SampleDataset.MATRICES, BsonDocument.class);
        this.dataset = dataset;
        this.random = new SplittableRandom(seed);
        this.pacer = new Pacer(opsPerSecond, System::nanoTime, n -> !stop.await(n, TimeUnit.NANOSECONDS));
        this.existing = new ArrayList<>(dataset.size());
        for (int i = 0; i < dataset.size(); i++) {
            existing.add(dataset.id(i));
            if (dataset.hasRecoveredMatrix(i)) {
                withMatrix.add(dataset.id(i));
            }
        }
        this.liveJobs = existing.size();
        this.nextIndex = dataset.size();
    }

    /**
     * Retries a write that fails because the server is unreachable, as long as the outage lasts up to {@code outage}
     * (a server restarted under it); by default the first such failure stops the writer.
     */
    public LiveWriter outlasting(Duration outage) {
        this.retry = new OutageRetry(outage);
        return this;
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
        } else if (dice < 88 && !withMatrix.isEmpty()) {
            editMatrix(withMatrix.get(random.nextInt(withMatrix.size())));
        } else {
            delete();
        }
    }

    private void insert() {
        SampleJob job = dataset.job(nextIndex++);
        ObjectId id = job.document().getObjectId("_id").getValue();
        retry.insert(() -> collection.insertOne(job.document()));
        job.recoveredMatrix().ifPresent(matrix -> {
            retry.insert(() -> matrices.insertOne(matrix));
            withMatrix.add(id);
        });
        existing.add(id);
        liveJobs = existing.size();
        inserts.incrementAndGet();
    }

    /** Sets a status drawn like the dataset's: completed jobs go back to running and running ones complete. */
    private void updateStatus(ObjectId id) {
        String status = SampleDataset.STATUSES.get(random.nextInt(SampleDataset.STATUSES.size()));
        BsonDocument update = new BsonDocument("$set", new BsonDocument("status", new BsonString(status)));
        retry.write(() -> collection.updateOne(byId(id), update));
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
        retry.write(() -> collection.updateOne(byId(id), update));
        updates.incrementAndGet();
    }

    /**
     * Replaces the job with a freshly generated one under the same id; when that payload's matrix was lost, its
     * recovered matrix replaces the side document under the id too.
     */
    private void replace(ObjectId id) {
        SampleJob job = dataset.job(dataset.size() + random.nextInt(Math.max(1, dataset.size())))
                .resubmittedAs(new BsonObjectId(id));
        retry.write(() -> collection.replaceOne(byId(id), job.document()));
        job.recoveredMatrix().ifPresent(matrix -> {
            retry.write(() -> matrices.replaceOne(byId(id), matrix, UPSERT));
            withMatrix.add(id);
        });
        replaces.incrementAndGet();
    }

    /** Corrects one score of a recovered matrix (the side document of a job that may have been deleted since). */
    private void editMatrix(ObjectId id) {
        String aminoAcid = String.valueOf(JobGenerator.AMINO_ACIDS.charAt(random.nextInt(JobGenerator.AMINO_ACIDS.length())));
        BsonDocument edit = new BsonDocument("$set",
                new BsonDocument("pssm.0." + aminoAcid, new BsonInt32(random.nextInt(-4, 9))));
        retry.write(() -> matrices.updateOne(byId(id), edit));
        updates.incrementAndGet();
    }

    private void delete() {
        int at = random.nextInt(existing.size());
        ObjectId id = existing.get(at);
        retry.write(() -> collection.deleteOne(byId(id)));
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

    @Override
    public LiveWriterCounts counts() {
        return new LiveWriterCounts(inserts.get(), updates.get(), replaces.get(), deletes.get());
    }

    /** Jobs that exist according to this writer: the dataset plus its inserts minus its deletes. */
    public int liveJobs() {
        return liveJobs;
    }

    /** The write error that stopped the writer, if one did. */
    @Override
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
