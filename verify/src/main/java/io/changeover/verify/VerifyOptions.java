package io.changeover.verify;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * How a verification runs.
 *
 * @param mode            counts only, every document, or a reproducible sample
 * @param sampleFraction  with {@link Mode#SAMPLED}: the share of target ids checked (0..1), or a negative number when
 *                        {@code sampleCount} is given instead
 * @param sampleCount     with {@link Mode#SAMPLED} and no fraction: about how many documents to check per collection
 * @param seed            sampling seed: the same seed picks the same documents
 * @param partitions      source {@code _id} ranges read and compared in parallel (1: sequential)
 * @param numericWidening int32, int64, double and decimal of equal value are equal
 * @param ignoredFields   top-level target fields that are not data (the sink's position field)
 * @param recheckWait     online: how long to wait for the pipeline to pass the first check's source time before a
 *                        difference is checked again; {@link Duration#ZERO} reports differences at once (offline)
 * @param recheckRounds   how many times a difference is checked again before it is reported
 * @param resume          continue from the checkpoint in the metadata collection, if any
 * @param checkBlobs      check that every blob reference's object exists and has the referenced sha-256
 * @param metadataCollection target collection holding checkpoints, the result, and the sink's positions
 * @param workDirectory   where sorted spill files go (bounded memory)
 * @param batchSize       documents per source read, target {@code $in} query and comparison task
 * @param spillBufferBytes memory for sorting before spilling to disk, per collection
 */
public record VerifyOptions(Mode mode, double sampleFraction, long sampleCount, long seed, int partitions,
                            boolean numericWidening, Set<String> ignoredFields, Duration recheckWait,
                            int recheckRounds, boolean resume, boolean checkBlobs, String metadataCollection,
                            Path workDirectory, int batchSize, long spillBufferBytes) {
    /** The sink's position field ({@code PositionGuard.FIELD} in the sink; not read from the sink's code). */
    public static final String SINK_POSITION_FIELD = "_changeover_position";

    /** What is compared. */
    public enum Mode { COUNTS, FULL, SAMPLED }

    public VerifyOptions {
        ignoredFields = Set.copyOf(ignoredFields);
        if (partitions < 1 || batchSize < 1 || recheckRounds < 0) {
            throw new IllegalArgumentException("partitions and batch size must be at least 1, recheck rounds >= 0");
        }
        if (mode == Mode.SAMPLED && sampleFraction < 0 && sampleCount < 1) {
            throw new IllegalArgumentException("sampled mode needs a fraction (0..1] or a number of documents >= 1");
        }
        if (sampleFraction > 1) {
            throw new IllegalArgumentException("sample fraction must be at most 1, got " + sampleFraction);
        }
    }

    /** Full, sequential, offline (no rechecks), no widening: the defaults of a test or a stopped pipeline. */
    public static VerifyOptions defaults() {
        return new VerifyOptions(Mode.FULL, -1, 0, 0, 1, false, Set.of(SINK_POSITION_FIELD), Duration.ZERO, 0,
                false, true, "changeover_metadata", Path.of(System.getProperty("java.io.tmpdir"), "changeover-verify"),
                500, 32L * 1024 * 1024);
    }

    public VerifyOptions withMode(Mode m) {
        return new VerifyOptions(m, sampleFraction, sampleCount, seed, partitions, numericWidening, ignoredFields,
                recheckWait, recheckRounds, resume, checkBlobs, metadataCollection, workDirectory, batchSize,
                spillBufferBytes);
    }

    public VerifyOptions withSample(double fraction, long count, long newSeed) {
        return new VerifyOptions(Mode.SAMPLED, fraction, count, newSeed, partitions, numericWidening, ignoredFields,
                recheckWait, recheckRounds, resume, checkBlobs, metadataCollection, workDirectory, batchSize,
                spillBufferBytes);
    }

    public VerifyOptions withPartitions(int n) {
        return new VerifyOptions(mode, sampleFraction, sampleCount, seed, n, numericWidening, ignoredFields,
                recheckWait, recheckRounds, resume, checkBlobs, metadataCollection, workDirectory, batchSize,
                spillBufferBytes);
    }

    public VerifyOptions withNumericWidening(boolean widening) {
        return new VerifyOptions(mode, sampleFraction, sampleCount, seed, partitions, widening, ignoredFields,
                recheckWait, recheckRounds, resume, checkBlobs, metadataCollection, workDirectory, batchSize,
                spillBufferBytes);
    }

    public VerifyOptions withRecheck(Duration wait, int rounds) {
        return new VerifyOptions(mode, sampleFraction, sampleCount, seed, partitions, numericWidening, ignoredFields,
                wait, rounds, resume, checkBlobs, metadataCollection, workDirectory, batchSize, spillBufferBytes);
    }

    public VerifyOptions withResume(boolean r) {
        return new VerifyOptions(mode, sampleFraction, sampleCount, seed, partitions, numericWidening, ignoredFields,
                recheckWait, recheckRounds, r, checkBlobs, metadataCollection, workDirectory, batchSize,
                spillBufferBytes);
    }

    public VerifyOptions withoutBlobChecks() {
        return new VerifyOptions(mode, sampleFraction, sampleCount, seed, partitions, numericWidening, ignoredFields,
                recheckWait, recheckRounds, resume, false, metadataCollection, workDirectory, batchSize,
                spillBufferBytes);
    }

    public VerifyOptions withStorage(String metadata, Path work, int batch, long spillBytes) {
        return new VerifyOptions(mode, sampleFraction, sampleCount, seed, partitions, numericWidening, ignoredFields,
                recheckWait, recheckRounds, resume, checkBlobs, metadata, work, batch, spillBytes);
    }

    /** A description of the options that change what is compared (a checkpoint is only resumed with the same). */
    public String runKey() {
        return mode + "/" + sampleFraction + "/" + sampleCount + "/" + seed + "/" + partitions + "/" + numericWidening
                + "/" + batchSize;
    }
}
