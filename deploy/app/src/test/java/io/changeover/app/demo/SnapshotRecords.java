package io.changeover.app.demo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

import io.changeover.app.sample.SampleDataset;
import io.changeover.app.sample.SampleJob;
import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.format.SourceTicks;

/**
 * The sample dataset as capture's initial snapshot writes it to the raw topics (format in {@code docs/topics.md}),
 * encoded once up front so a benchmark times the transform and not the encoding: key {@code {"id": "<canonical
 * extended JSON of _id>"}}, value a Debezium MongoDB envelope with {@code op: r}, {@code after} as strict extended
 * JSON text and {@code source.ts_ms} the (made-up, increasing) read time with {@code ord: -1}.
 *
 * @param sides side documents ({@link SampleDataset#MATRICES}), in index order
 * @param jobs  jobs ({@link SampleDataset#COLLECTION}), in index order
 */
record SnapshotRecords(List<Raw> sides, List<Raw> jobs) {
    /** Read time of the first record: 2026-01-01T00:00:00Z; each later record is read 1 ms later. */
    private static final long FIRST_READ_MS = 1_767_225_600_000L;
    private static final JsonWriterSettings CANONICAL = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();
    /** How Debezium writes {@code after}: 32-bit ints plain, dates as {@code {"$date": <millis>}}. */
    @SuppressWarnings("deprecation")
    private static final JsonWriterSettings STRICT = JsonWriterSettings.builder().outputMode(JsonMode.STRICT).build();
    private static final JsonWriterSettings RELAXED = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

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
            sides.add(read(matrix, SampleDataset.MATRICES, sides.size()));
        }
        List<Raw> jobRecords = new ArrayList<>(jobs.size());
        for (BsonDocument job : jobs) {
            jobRecords.add(read(job, SampleDataset.COLLECTION, sides.size() + jobRecords.size()));
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
        long lastReadSecond = (FIRST_READ_MS + size()) / 1000;
        return SourceTicks.value(SourcePosition.of((int) lastReadSecond + 1, 0), 1);
    }

    private static Raw read(BsonDocument document, String collection, int ordinal) {
        long readMs = FIRST_READ_MS + ordinal;
        BsonDocument envelope = new BsonDocument()
                .append("after", new BsonString(document.toJson(STRICT)))
                .append("updateDescription", BsonNull.VALUE)
                .append("source", new BsonDocument("db", new BsonString("legacy"))
                        .append("collection", new BsonString(collection))
                        .append("snapshot", new BsonString("true"))
                        .append("ts_ms", new BsonInt64(readMs))
                        .append("ord", new BsonInt32(-1)))
                .append("op", new BsonString("r"))
                .append("ts_ms", new BsonInt64(readMs + 5));
        return new Raw(key(document.get("_id")), envelope.toJson(RELAXED).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] key(BsonValue id) {
        String idJson = new BsonDocument("v", id).toJson(CANONICAL);
        idJson = idJson.substring(idJson.indexOf(':') + 1, idJson.length() - 1).strip();
        return new BsonDocument("id", new BsonString(idJson)).toJson().getBytes(StandardCharsets.UTF_8);
    }
}
