package io.changeover.sink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.WriteConcern;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;

import io.changeover.transform.format.SourcePosition;

/**
 * Applies a batch of output records for one target collection with one unordered bulk write, never moving a document
 * backwards: a guarded replace with upsert per document, a guarded delete per tombstone ({@link PositionGuard}), and
 * no upsert older than a recorded delete of its document ({@link Tombstones}). The batch is first collapsed to the
 * last record per {@code _id} ({@link BatchCollapser}), since an unordered bulk write does not keep the order of its
 * operations.
 *
 * <p>A refused write is analysed record by record: a duplicate key on {@code _id} whose stored document is newer is
 * a stale record (skipped); a data error ({@link WriteErrors#DATA_CODES}) is returned as rejected, for the
 * dead-letter topic; retriable errors are thrown as they are (the caller retries the batch); anything else is thrown
 * as a {@link SinkWriteException} naming the collection and the record.
 */
public final class BulkApplier {
    /** Largest document the target stores (BSON limit), less room for the position field. */
    static final int MAX_DOCUMENT_BYTES = 16 * 1024 * 1024 - 64;
    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);
    private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);

    private final MongoDatabase database;
    private final WriteConcern writeConcern;
    private final Tombstones tombstones;
    private final Guard guard;

    /**
     * How a write is kept from moving a document backwards.
     * <ul>
     *   <li>{@code CONDITIONAL}: the position condition is part of each write's filter, so check and write are one
     *       atomic operation even against a second sink instance writing the same document (a rebalance zombie).
     *       Needs a server that uses the {@code _id} index for a filter on {@code _id} and another field (every
     *       MongoDB); the in-JVM test server scans the collection for such a filter.</li>
     *   <li>{@code READ_CHECK}: the stored positions of a batch are read first (one {@code $in} query), older
     *       records are skipped, absent documents are inserted and present ones replaced by {@code _id}. Equally
     *       safe under redelivery, replay and restart; not atomic against a second sink instance writing the same
     *       document between the read and the write.</li>
     * </ul>
     */
    public enum Guard { CONDITIONAL, READ_CHECK }

    public BulkApplier(MongoDatabase database, WriteConcern writeConcern, String tombstoneCollection) {
        this(database, writeConcern, tombstoneCollection, Guard.CONDITIONAL);
    }

    public BulkApplier(MongoDatabase database, WriteConcern writeConcern, String tombstoneCollection, Guard guard) {
        this.database = database;
        this.writeConcern = writeConcern;
        this.tombstones = new Tombstones(database, tombstoneCollection, writeConcern, guard == Guard.READ_CHECK);
        this.guard = guard;
    }

    /** Writes the last state of each document in {@code records} (read order) to {@code collection}. */
    public AppliedBatch apply(String collection, List<OutputRecord> records) {
        List<OutputRecord> collapsed = BatchCollapser.lastPerId(records);
        List<AppliedBatch.Rejected> rejected = new ArrayList<>();
        List<OutputRecord> writable = new ArrayList<>(collapsed.size());
        SourcePosition last = SourcePosition.ZERO;
        for (OutputRecord record : collapsed) {
            last = record.position().compareTo(last) > 0 ? record.position() : last;
            if (record.sizeBytes() > MAX_DOCUMENT_BYTES) {
                rejected.add(new AppliedBatch.Rejected(record, "document too large for the target: "
                        + record.sizeBytes() + " bytes (BSON limit 16 MiB)"));
            } else {
                writable.add(record);
            }
        }
        int beforeTombstones = writable.size();
        writable = withoutDeleted(collection, writable);
        Map<BsonValue, SourcePosition> stored = guard == Guard.READ_CHECK ? stored(collection, writable) : Map.of();
        writable = withoutOlderThan(stored, writable);
        int resurrections = beforeTombstones - writable.size();
        int refusedBefore = rejected.size();
        int overtaken = write(collection, writable, stored, rejected);
        int refused = rejected.size() - refusedBefore;
        List<OutputRecord> deletes = writable.stream().filter(OutputRecord::isDelete).toList();
        tombstones.record(collection, deletes);
        int upserts = writable.size() - deletes.size() - overtaken - refused;
        return new AppliedBatch(collection, records.size(), upserts, deletes.size(), resurrections + overtaken,
                rejected, last);
    }

    /** Drops upserts older than a recorded delete of their document (a replayed insert must not resurrect it). */
    private List<OutputRecord> withoutDeleted(String collection, List<OutputRecord> records) {
        List<BsonValue> upsertIds = records.stream().filter(r -> !r.isDelete()).map(OutputRecord::id).toList();
        Map<BsonValue, SourcePosition> deletedAt = tombstones.deletedAt(collection, upsertIds);
        if (deletedAt.isEmpty()) {
            return records;
        }
        return records.stream().filter(r -> r.isDelete() || !deletedAt.containsKey(r.id())
                || r.position().compareTo(deletedAt.get(r.id())) >= 0).toList();
    }

    /** READ_CHECK: the stored positions of the batch's documents (absent: not in the target). */
    private Map<BsonValue, SourcePosition> stored(String collection, List<OutputRecord> records) {
        Map<BsonValue, SourcePosition> stored = new HashMap<>();
        List<BsonValue> ids = records.stream().map(OutputRecord::id).toList();
        if (!ids.isEmpty()) {
            for (BsonDocument doc : target(collection).find(Filters.in("_id", ids))
                    .projection(Projections.include(PositionGuard.FIELD))) {
                stored.put(doc.get("_id"), PositionGuard.of(doc));
            }
        }
        return stored;
    }

    private static List<OutputRecord> withoutOlderThan(Map<BsonValue, SourcePosition> stored,
                                                       List<OutputRecord> records) {
        if (stored.isEmpty()) {
            return records;
        }
        return records.stream().filter(r -> !stored.containsKey(r.id())
                || r.position().compareTo(stored.get(r.id())) >= 0).toList();
    }

    private WriteModel<BsonDocument> model(OutputRecord record, Map<BsonValue, SourcePosition> stored) {
        if (guard == Guard.READ_CHECK) {
            BsonDocument byId = new BsonDocument("_id", record.id());
            if (record.isDelete()) {
                return new DeleteOneModel<>(byId);
            }
            BsonDocument doc = PositionGuard.stamped(record.document(), record.position());
            return stored.containsKey(record.id()) ? new ReplaceOneModel<>(byId, doc, UPSERT) : new InsertOneModel<>(doc);
        }
        BsonDocument filter = PositionGuard.filter(record.id(), record.position());
        return record.isDelete() ? new DeleteOneModel<>(filter)
                : new ReplaceOneModel<>(filter, PositionGuard.stamped(record.document(), record.position()), UPSERT);
    }

    /** Writes {@code records}; adds data errors to {@code rejected}; returns the number of stale records. */
    private int write(String collection, List<OutputRecord> records, Map<BsonValue, SourcePosition> stored,
                      List<AppliedBatch.Rejected> rejected) {
        if (records.isEmpty()) {
            return 0;
        }
        List<WriteModel<BsonDocument>> models = new ArrayList<>(records.size());
        records.forEach(r -> models.add(model(r, stored)));
        MongoCollection<BsonDocument> target = target(collection);
        try {
            target.bulkWrite(models, UNORDERED);
            return 0;
        } catch (MongoBulkWriteException e) {
            if (WriteErrors.isRetriable(e)) {
                throw e;
            }
            return analyse(collection, e, records, rejected);
        } catch (MongoException e) {
            if (WriteErrors.isRetriable(e)) {
                throw e;
            }
            throw new SinkWriteException(collection, null, "cannot write " + records.size() + " document(s) to "
                    + where(collection) + " (records " + records.get(0).describe() + " ...): " + e.getMessage(), e);
        }
    }

    private int analyse(String collection, MongoBulkWriteException e, List<OutputRecord> records,
                        List<AppliedBatch.Rejected> rejected) {
        Map<BsonValue, SourcePosition> stored = storedPositions(collection, e, records);
        int stale = 0;
        for (BulkWriteError error : e.getWriteErrors()) {
            OutputRecord record = records.get(error.getIndex());
            if (WriteErrors.isDuplicateKey(error.getCode()) && !record.isDelete() && stored.containsKey(record.id())
                    && stored.get(record.id()).compareTo(record.position()) > 0) {
                stale++;
            } else if (guard == Guard.READ_CHECK && WriteErrors.isDuplicateKey(error.getCode())
                    && stored.containsKey(record.id())) {
                // inserted by someone else since the read, with an older position: written again as a replace
                stale += write(collection, List.of(record), Map.of(record.id(), stored.get(record.id())), rejected);
            } else if (WriteErrors.DATA_CODES.contains(error.getCode())) {
                rejected.add(new AppliedBatch.Rejected(record, error.getMessage() + " (code " + error.getCode() + ")"));
            } else {
                throw new SinkWriteException(collection, record, e.getWriteErrors().size() + " write error(s) on "
                        + where(collection) + "; record " + record.describe() + ": " + error.getMessage()
                        + " (code " + error.getCode() + ")", e);
            }
        }
        return stale;
    }

    /** Stored positions of the documents whose write hit a duplicate key: newer ones are what refused the write. */
    private Map<BsonValue, SourcePosition> storedPositions(String collection, MongoBulkWriteException e,
                                                           List<OutputRecord> records) {
        List<BsonValue> ids = e.getWriteErrors().stream().filter(w -> WriteErrors.isDuplicateKey(w.getCode()))
                .map(w -> records.get(w.getIndex()).id()).toList();
        Map<BsonValue, SourcePosition> stored = new HashMap<>();
        if (!ids.isEmpty()) {
            for (BsonDocument doc : target(collection).find(Filters.in("_id", ids))
                    .projection(Projections.include(PositionGuard.FIELD))) {
                stored.put(doc.get("_id"), PositionGuard.of(doc));
            }
        }
        return stored;
    }

    private MongoCollection<BsonDocument> target(String collection) {
        return database.getCollection(collection, BsonDocument.class).withWriteConcern(writeConcern);
    }

    private String where(String collection) {
        return "target collection '" + database.getName() + "." + collection + "'";
    }
}
