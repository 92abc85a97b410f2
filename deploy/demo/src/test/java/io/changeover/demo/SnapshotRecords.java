package io.changeover.demo;

import java.util.ArrayList;
import java.util.List;

import org.bson.BsonDocument;

import io.changeover.demo.sample.SampleDataset;
import io.changeover.demo.sample.SampleJob;
import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.format.RawRecord;
import io.changeover.transform.format.RawRecords;

/**
 * The sample dataset as capture's initial snapshot writes it to the raw topics (format in {@code docs/topics.md}),
 * encoded once up front so a benchmark times the transform and not the encoding: {@link RawRecords} reads, all at
 * the snapshot's (made-up) start position.
 *
 * @param sides side documents ({@link SampleDataset#MATRICES}), in index order
 * @param jobs  jobs ({@link SampleDataset#COLLECTION}), in index order
 */
record SnapshotRecords(List<Raw> sides, List<Raw> jobs) {
    /** Where the snapshot started: 2026-01-01T00:00:00Z, increment 1. */
    private static final SourcePosition SNAPSHOT_START = SourcePosition.of(1_767_225_600, 1);

    /** One raw record: capture's key and value bytes. */
    record Raw(byte[] key, byte[] value) {
    }

    /** Every job of {@code dataset} and every recovered matrix, read in that order by a snapshot. */
    static SnapshotRecords of(SampleDataset dataset) {
        List<BsonDocument> matrices = new ArrayList<>();
        List<BsonDocument> jobs = new ArrayList<>(dataset.size());
        for (int i = 0; i < dataset.size(); i++) {
            SampleJob job = dataset.job(i);
            jobs.add(job.document());
            job.recoveredMatrix().ifPresent(matrices::add);
        }
        List<Raw> sides = new ArrayList<>(matrices.size());
        for (BsonDocument matrix : matrices) {
            sides.add(read(matrix, SampleDataset.MATRICES));
        }
        List<Raw> jobRecords = new ArrayList<>(jobs.size());
        for (BsonDocument job : jobs) {
            jobRecords.add(read(job, SampleDataset.COLLECTION));
        }
        return new SnapshotRecords(sides, jobRecords);
    }

    int size() {
        return sides.size() + jobs.size();
    }

    /**
     * A tick (one-partition raw topic) past every snapshot read: it tells {@code remap} that a referenced document not
     * seen by now never existed, as capture's first heartbeat after the snapshot does.
     */
    byte[] tickAfterSnapshot() {
        return RawRecords.value(new RawRecord.Tick(SourcePosition.of(SNAPSHOT_START.seconds() + 1, 0), 1));
    }

    private static Raw read(BsonDocument document, String collection) {
        RawRecord.Change read = new RawRecord.Change(collection, document.get("_id"), RawRecord.Operation.READ,
                document, SNAPSHOT_START, true);
        return new Raw(RawRecords.key(read), RawRecords.value(read));
    }
}
