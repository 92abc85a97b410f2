package io.changeover.demo.sample;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import org.bson.BsonDocument;
import org.bson.types.ObjectId;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.InsertManyOptions;

/**
 * A sample {@code jobs} collection shaped like a real refactor, reproducible from a seed: the same seed and size give
 * the same documents, byte for byte, with ids built from the seed and index (never the clock).
 *
 * <p>Each job has {@code _id}, {@code job_type} (one of {@link #JOB_TYPES}, psipred also under the aliases in
 * {@link #ALIASES}), {@code status} in mixed spellings ({@link #STATUSES}, about two thirds completed-ish),
 * {@code created}, {@code owner}, legacy fields {@code submitted_by} and {@code legacy_flag} on some documents,
 * {@code input_data} {name, sequence, params}, {@code pid}: 0–3 ids of other jobs (a quarter point to a later
 * {@code _id}: parents after children; about 1.5% of jobs also name a parent purged before the migration, an id no
 * document has), optional inline binary {@code content} (0–512 bytes; about 0.5% of jobs carry a large one, 100 KB up
 * to {@link #LARGE_CONTENT_MAX}) and {@code pssm}, a list of 5–20 {@code {pos, A, C, ...}} rows of ints. Jobs without
 * large content are 1–4 KB of BSON.
 *
 * <p>What a refactor has to clean up: about 20% of jobs lost their {@code pssm} in an earlier refactor; it was
 * recovered into the side collection {@link #MATRICES} as {@code {_id: <the job's _id>, pssm}} (a separate document
 * of the same size range). About 3% of jobs are resubmissions: an exact copy of an earlier job's payload (type,
 * owner, created, input data, everything but {@code _id}), with the original's matrix recovered under their own id
 * when the original's was.
 */
public final class SampleDataset implements Iterable<BsonDocument> {
    /** Collection the dataset is loaded into by {@link #load(MongoDatabase, int, long)}. */
    public static final String COLLECTION = "jobs";
    /** Side collection of recovered {@code pssm} matrices, matched to jobs by {@code _id}. */
    public static final String MATRICES = "job_matrices";
    public static final List<String> JOB_TYPES = List.of("blast", "hmmer", "psipred", "alignment", "disopred");
    /** Other names a job type appears under; the demo spec maps them back. */
    public static final Map<String, List<String>> ALIASES = Map.of("psipred", List.of("psi-pred", "PSIPRED_v4"));
    /** Every spelling of {@code status} the dataset uses; completed, COMPLETED and done mean the same. */
    public static final List<String> STATUSES = List.of("completed", "COMPLETED", "done", "running", "queued", "failed");
    public static final int LARGE_CONTENT_MIN = 100 * 1024;
    public static final int LARGE_CONTENT_MAX = 3 * 1024 * 1024;
    private static final int INSERT_BATCH = 500;

    private final long seed;
    private final int size;
    private final int largeContentMax;
    private final JobGenerator.Sizes sizes;
    private final JobGenerator generator;

    /** The dataset of {@code size} jobs generated from {@code seed}. */
    public SampleDataset(long seed, int size) {
        this(seed, size, LARGE_CONTENT_MAX, JobGenerator.Sizes.DEFAULT);
    }

    private SampleDataset(long seed, int size, int largeContentMax, JobGenerator.Sizes sizes) {
        if (size < 0) {
            throw new IllegalArgumentException("sample dataset size must be >= 0, got " + size);
        }
        this.seed = seed;
        this.size = size;
        this.largeContentMax = largeContentMax;
        this.sizes = sizes;
        this.generator = new JobGenerator(seed, size, largeContentMax, sizes);
    }

    /**
     * The same dataset with ordinary jobs between {@code minBytes} and {@code maxBytes} of BSON (default 1–4 KB;
     * the benchmark uses about 1 KB). Jobs carrying a large content are not affected.
     */
    public SampleDataset documentSizes(int minBytes, int maxBytes) {
        if (minBytes < 256 || maxBytes < minBytes) {
            throw new IllegalArgumentException("document sizes must satisfy 256 <= min <= max, got " + minBytes + ".." + maxBytes);
        }
        return new SampleDataset(seed, size, largeContentMax, new JobGenerator.Sizes(minBytes, maxBytes));
    }

    /**
     * The same dataset with large contents capped at {@code maxBytes}; below {@link #LARGE_CONTENT_MIN} no job has a
     * large content (for pipelines whose Kafka refuses records over 1 MB). Other fields are unchanged.
     */
    public SampleDataset largeContentUpTo(int maxBytes) {
        return new SampleDataset(seed, size, Math.min(maxBytes, LARGE_CONTENT_MAX), sizes);
    }

    /** Inserts {@code size} jobs generated from {@code seed} into {@code db.jobs}, their recovered matrices into {@code db.job_matrices}. */
    public static void load(MongoDatabase db, int size, long seed) {
        new SampleDataset(seed, size).loadInto(db);
    }

    /**
     * Inserts every job of this dataset into {@code db.}{@value #COLLECTION} and every recovered matrix into
     * {@code db.}{@value #MATRICES}, {@value #INSERT_BATCH} per insertMany.
     */
    public void loadInto(MongoDatabase db) {
        MongoCollection<BsonDocument> jobs = db.getCollection(COLLECTION, BsonDocument.class);
        MongoCollection<BsonDocument> matrices = db.getCollection(MATRICES, BsonDocument.class);
        List<BsonDocument> jobBatch = new ArrayList<>(INSERT_BATCH);
        List<BsonDocument> matrixBatch = new ArrayList<>(INSERT_BATCH);
        for (int i = 0; i < size; i++) {
            SampleJob job = job(i);
            jobBatch.add(job.document());
            job.recoveredMatrix().ifPresent(matrixBatch::add);
            if (jobBatch.size() == INSERT_BATCH) {
                insert(jobs, jobBatch);
            }
            if (matrixBatch.size() == INSERT_BATCH) {
                insert(matrices, matrixBatch);
            }
        }
        insert(jobs, jobBatch);
        insert(matrices, matrixBatch);
    }

    private static void insert(MongoCollection<BsonDocument> collection, List<BsonDocument> batch) {
        if (!batch.isEmpty()) {
            collection.insertMany(batch, new InsertManyOptions().ordered(false));
            batch.clear();
        }
    }

    /**
     * Job {@code index}. Indexes below {@link #size()} are the dataset; higher ones are new jobs of the same shape
     * (what {@link LiveWriter} inserts), whose {@code pid} only point to lower indexes.
     */
    public BsonDocument document(int index) {
        return generator.document(index);
    }

    /** Job {@code index} with its recovered matrix, if it has one. */
    public SampleJob job(int index) {
        return generator.job(index);
    }

    /** Whether job {@code index}'s {@code pssm} lives in {@link #MATRICES} (without generating the job). */
    public boolean hasRecoveredMatrix(int index) {
        return generator.hasRecoveredMatrix(index);
    }

    /** The index of the job whose payload job {@code index} repeats; {@code index} itself for an original. */
    public int originalOf(int index) {
        return generator.originalOf(index);
    }

    /** The id of job {@code index}, without generating the job. */
    public ObjectId id(int index) {
        return SampleIds.of(seed, index);
    }

    public long seed() {
        return seed;
    }

    public int size() {
        return size;
    }

    public int largeContentMax() {
        return largeContentMax;
    }

    /** The jobs in index (and {@code _id}) order, generated one at a time. */
    @Override
    public Iterator<BsonDocument> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public BsonDocument next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("sample dataset has " + size + " jobs");
                }
                return document(next++);
            }
        };
    }
}
