package io.changeover.sink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.WriteConcern;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;

import io.changeover.transform.format.SourcePosition;

/**
 * Remembers the position of every applied delete, in a collection of its own in the target database
 * ({@code _id: {c: <target collection>, id: <document _id>}}, the position in {@link PositionGuard#FIELD}), so a
 * replayed or redelivered upsert older than the delete cannot bring the document back. Tombstones are themselves
 * written under the position guard (conditional, or read-check like the documents: {@link BulkApplier.Guard}). They are not part of the migrated data: cutover drops the collection
 * ({@link TargetMarkers#strip}).
 */
final class Tombstones {
    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);
    private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);

    private final MongoCollection<BsonDocument> tombstones;
    private final boolean readCheck;

    Tombstones(MongoDatabase database, String collectionName, WriteConcern writeConcern, boolean readCheck) {
        this.tombstones = database.getCollection(collectionName, BsonDocument.class).withWriteConcern(writeConcern);
        this.readCheck = readCheck;
    }

    static BsonDocument key(String collection, BsonValue id) {
        return new BsonDocument("c", new BsonString(collection)).append("id", id);
    }

    /** Positions of the deletes recorded for {@code ids} of {@code collection} (absent: never deleted). */
    Map<BsonValue, SourcePosition> deletedAt(String collection, List<BsonValue> ids) {
        Map<BsonValue, SourcePosition> positions = new HashMap<>();
        if (ids.isEmpty()) {
            return positions;
        }
        List<BsonDocument> keys = new ArrayList<>(ids.size());
        ids.forEach(id -> keys.add(key(collection, id)));
        for (BsonDocument tombstone : tombstones.find(Filters.in("_id", keys))) {
            positions.put(tombstone.getDocument("_id").get("id"), PositionGuard.of(tombstone));
        }
        return positions;
    }

    /**
     * Records the deletes; a tombstone already newer than a delete stays (duplicate key on the guarded upsert).
     * Other write errors are thrown.
     */
    void record(String collection, List<OutputRecord> deletes) {
        if (deletes.isEmpty()) {
            return;
        }
        Map<BsonValue, SourcePosition> recorded = readCheck
                ? deletedAt(collection, deletes.stream().map(OutputRecord::id).toList()) : Map.of();
        List<WriteModel<BsonDocument>> models = new ArrayList<>(deletes.size());
        for (OutputRecord delete : deletes) {
            BsonDocument key = key(collection, delete.id());
            BsonDocument tombstone = PositionGuard.stamped(new BsonDocument("_id", key), delete.position());
            if (!readCheck) {
                models.add(new ReplaceOneModel<>(PositionGuard.filter(key, delete.position()), tombstone, UPSERT));
            } else if (!recorded.containsKey(delete.id())
                    || recorded.get(delete.id()).compareTo(delete.position()) <= 0) {
                models.add(new ReplaceOneModel<>(new BsonDocument("_id", key), tombstone, UPSERT));
            }
        }
        if (models.isEmpty()) {
            return;
        }
        try {
            tombstones.bulkWrite(models, UNORDERED);
        } catch (MongoBulkWriteException e) {
            for (BulkWriteError error : e.getWriteErrors()) {
                if (!WriteErrors.isDuplicateKey(error.getCode())) {
                    throw e;
                }
            }
            if (e.getWriteConcernError() != null) {
                throw e;
            }
        }
    }
}
