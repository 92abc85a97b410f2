package io.changeover.sink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bson.BSONException;
import org.bson.BsonDocument;
import org.bson.BsonNull;
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
import com.mongodb.client.model.WriteModel;

import io.changeover.transform.format.SourcePosition;

/**
 * Applies a batch of output records for one target collection with one unordered bulk write, never moving a document
 * backwards: a guarded replace with upsert per document (for a document with a top-level {@code $} name, the
 * update pipeline that stands for it: {@link Replacement}), a guarded delete per tombstone ({@link PositionGuard}),
 * and no upsert older than a recorded delete of its document ({@link Tombstones}). The batch is first collapsed to the
 * last record per {@code _id} ({@link BatchCollapser}), since an unordered bulk write does not keep the order of its
 * operations.
 *
 * <p>A refused write is analysed record by record: a duplicate key on {@code _id} whose stored document is newer is
 * a stale record (skipped); any other duplicate key is written again after the rest of the batch, in a few more bulk
 * writes ({@link #ROUNDS}), since another record of the batch may move the value away (a unique secondary index:
 * two users handing an email on, written in no particular order), and what still conflicts is returned as a
 * conflict naming the document that holds the value, for the caller to try again later; a data error
 * ({@link WriteErrors#DATA_CODES}) is returned as rejected, for the dead-letter topic; retriable errors are thrown as
 * they are (the caller retries the batch); anything else is thrown as a {@link SinkWriteException} naming the
 * collection and the record.
 */
public final class BulkApplier implements BatchApplier {
    /** Largest document the target stores (BSON limit), less room for the position field. */
    static final int MAX_DOCUMENT_BYTES = 16 * 1024 * 1024 - 64;
    private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);
    /** Bulk writes after the first for records a duplicate key refused (the rest of the batch may remove the cause). */
    static final int ROUNDS = 3;

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
    @Override
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
        int resurrections = beforeTombstones - writable.size();
        Rounds rounds = writeInRounds(collection, writable, rejected);
        List<OutputRecord> deletes = writable.stream().filter(OutputRecord::isDelete).toList();
        tombstones.record(collection, deletes);
        int upserts = writable.size() - deletes.size() - rounds.stale() - rounds.refused() - rounds.conflicts().size();
        return new AppliedBatch(collection, records.size(), upserts, deletes.size(), resurrections + rounds.stale(),
                rejected, rounds.conflicts(), last);
    }

    /** What the rounds of one batch left: records skipped as stale, refused as data errors, still conflicting. */
    private record Rounds(int stale, int refused, List<AppliedBatch.Rejected> conflicts) {
    }

    /**
     * Writes {@code records}, then, in up to {@link #ROUNDS} more bulk writes, the records refused by a duplicate key
     * that the rest of the batch may have removed: a unique secondary index value another record of the batch moves
     * away (an unordered bulk write keeps no order), or an {@code _id} inserted by someone else since the read.
     * A loop, not recursion: each round writes only what the previous one refused.
     */
    private Rounds writeInRounds(String collection, List<OutputRecord> records, List<AppliedBatch.Rejected> rejected) {
        int stale = 0;
        int refusedBefore = rejected.size();
        List<Refused> again = List.of();
        List<OutputRecord> round = records;
        for (int attempt = 0; attempt <= ROUNDS && !round.isEmpty(); attempt++) {
            Map<BsonValue, SourcePosition> stored = guard == Guard.READ_CHECK ? stored(collection, round) : Map.of();
            List<OutputRecord> current = withoutOlderThan(stored, round);
            stale += round.size() - current.size();
            Outcome outcome = write(collection, current, stored);
            stale += outcome.stale();
            rejected.addAll(outcome.rejected());
            again = outcome.again();
            round = again.stream().map(Refused::record).toList();
        }
        List<AppliedBatch.Rejected> conflicts = again.stream().map(c -> new AppliedBatch.Rejected(c.record(),
                c.reason() + holder(collection, c))).toList();
        return new Rounds(stale, rejected.size() - refusedBefore, conflicts);
    }

    /** What one bulk write did with its records: stale ones, data errors, and ones to write again. */
    private record Outcome(int stale, List<AppliedBatch.Rejected> rejected, List<Refused> again) {
        static final Outcome WRITTEN = new Outcome(0, List.of(), List.of());
    }

    /** A record a duplicate key refused, to be written again: the server's reason and the index it names. */
    private record Refused(OutputRecord record, String reason, DuplicateKey key) {
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

    /** The stored positions of these records' documents (absent: not in the target). */
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
            return stored.containsKey(record.id()) ? Replacement.upsert(byId, record.id(), doc)
                    : new InsertOneModel<>(doc);
        }
        BsonDocument filter = PositionGuard.filter(record.id(), record.position());
        return record.isDelete() ? new DeleteOneModel<>(filter)
                : Replacement.upsert(filter, record.id(), PositionGuard.stamped(record.document(), record.position()));
    }

    /** One bulk write of {@code records}, each refused one analysed. */
    private Outcome write(String collection, List<OutputRecord> records, Map<BsonValue, SourcePosition> stored) {
        if (records.isEmpty()) {
            return Outcome.WRITTEN;
        }
        List<WriteModel<BsonDocument>> models = new ArrayList<>(records.size());
        records.forEach(r -> models.add(model(r, stored)));
        MongoCollection<BsonDocument> target = target(collection);
        try {
            target.bulkWrite(models, UNORDERED);
            return Outcome.WRITTEN;
        } catch (MongoBulkWriteException e) {
            if (WriteErrors.isRetriable(e)) {
                throw e;
            }
            return analyse(collection, e, records);
        } catch (MongoException e) {
            if (WriteErrors.isRetriable(e)) {
                throw e;
            }
            throw new SinkWriteException(collection, null, "cannot write " + records.size() + " document(s) to "
                    + where(collection) + " (records " + records.get(0).describe() + " ...): " + e.getMessage(), e);
        } catch (BSONException | IllegalArgumentException e) {
            if (records.size() == 1) {
                return new Outcome(0, List.of(new AppliedBatch.Rejected(records.get(0), "the MongoDB driver refuses "
                        + "to send this document: " + e.getMessage())), List.of());
            }
            return oneByOne(collection, records, stored);   // the driver refused a document while encoding the bulk
        }
    }

    /**
     * Writes the records one bulk write each, so that a document the driver refuses to send (a field name it cannot
     * encode, say) is told apart from the rest: it is rejected with the driver's reason, the others are written
     * (again, for those the failed bulk write had already sent: harmless, every write is guarded).
     */
    private Outcome oneByOne(String collection, List<OutputRecord> records, Map<BsonValue, SourcePosition> stored) {
        int stale = 0;
        List<AppliedBatch.Rejected> rejected = new ArrayList<>();
        List<Refused> again = new ArrayList<>();
        for (OutputRecord record : records) {
            Outcome one = write(collection, List.of(record), stored);
            stale += one.stale();
            rejected.addAll(one.rejected());
            again.addAll(one.again());
        }
        return new Outcome(stale, rejected, again);
    }

    private Outcome analyse(String collection, MongoBulkWriteException e, List<OutputRecord> records) {
        Map<BsonValue, SourcePosition> stored = storedPositions(collection, e, records);
        int stale = 0;
        List<AppliedBatch.Rejected> rejected = new ArrayList<>();
        List<Refused> again = new ArrayList<>();
        for (BulkWriteError error : e.getWriteErrors()) {
            OutputRecord record = records.get(error.getIndex());
            Optional<DuplicateKey> duplicate = DuplicateKey.of(error.getCode(), error.getMessage());
            String reason = error.getMessage() + " (code " + error.getCode() + ")";
            if (duplicate.isPresent() && duplicate.get().onId() && stored.containsKey(record.id())
                    && stored.get(record.id()).compareTo(record.position()) > 0) {
                stale++;   // the target holds a newer state of this document (a delete never hits a duplicate key)
            } else if (duplicate.isPresent()) {
                again.add(new Refused(record, reason, duplicate.get())); // gone once the rest is written, perhaps
            } else if (WriteErrors.DATA_CODES.contains(error.getCode())) {
                rejected.add(new AppliedBatch.Rejected(record, reason));
            } else {
                throw new SinkWriteException(collection, record, e.getWriteErrors().size() + " write error(s) on "
                        + where(collection) + "; record " + record.describe() + ": " + reason, e);
            }
        }
        return new Outcome(stale, rejected, again);
    }

    /**
     * Which target document holds the value a conflicting record's unique index refused, for the reason given with
     * it: found by the index's key fields; empty when the index or the holder cannot be told.
     */
    private String holder(String collection, Refused conflict) {
        BsonDocument doc = conflict.record().document();
        if (doc == null || conflict.key().onId()) {
            return "";
        }
        for (BsonDocument index : target(collection).listIndexes(BsonDocument.class)) {
            if (index.getString("name").getValue().equals(conflict.key().index())) {
                BsonDocument filter = new BsonDocument("_id", new BsonDocument("$ne", conflict.record().id()));
                index.getDocument("key").keySet().forEach(field -> filter.put(field, valueAt(doc, field)));
                BsonDocument holder = target(collection).find(filter).projection(Projections.include("_id")).first();
                return holder == null ? "" : "; the value is held by target document _id " + idText(holder.get("_id"));
            }
        }
        return "";
    }

    /** Stored positions of the documents whose write hit a duplicate key: newer ones are what refused the write. */
    private Map<BsonValue, SourcePosition> storedPositions(String collection, MongoBulkWriteException e,
                                                           List<OutputRecord> records) {
        return stored(collection, e.getWriteErrors().stream().filter(w -> WriteErrors.isDuplicateKey(w.getCode()))
                .map(w -> records.get(w.getIndex())).toList());
    }

    /** An id as a message shows it: a string or an integer as such, anything else as extended JSON. */
    private static String idText(BsonValue id) {
        if (id.isString()) {
            return id.asString().getValue();
        }
        if (id.isInt32() || id.isInt64()) {
            return String.valueOf(id.asNumber().longValue());
        }
        return new BsonDocument("_id", id).toJson();
    }

    /** The value at a dotted path of {@code doc}; null (as an index stores a missing field) where there is none. */
    private static BsonValue valueAt(BsonDocument doc, String path) {
        BsonValue value = doc;
        for (String name : path.split("\\.")) {
            if (!(value instanceof BsonDocument d) || !d.containsKey(name)) {
                return BsonNull.VALUE;
            }
            value = d.get(name);
        }
        return value;
    }

    private MongoCollection<BsonDocument> target(String collection) {
        return database.getCollection(collection, BsonDocument.class).withWriteConcern(writeConcern);
    }

    private String where(String collection) {
        return "target collection '" + database.getName() + "." + collection + "'";
    }
}
