package io.changeover.sink;

import java.util.ArrayList;
import java.util.List;

import org.bson.BsonDocument;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.WriteConcern;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;

import io.changeover.transform.format.SourcePosition;

/**
 * Applies a batch of output records for one target collection with one unordered bulk write: a replace with upsert
 * per document, a delete per tombstone. The batch is first collapsed to the last record per {@code _id}
 * ({@link BatchCollapser}), since an unordered bulk write does not keep the order of its operations.
 *
 * <p>Returns only once the target acknowledged the write at the configured write concern; any failure is thrown as a
 * {@link SinkWriteException} naming the collection and the record at fault.
 */
public final class BulkApplier {
    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);
    private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);

    private final MongoDatabase database;
    private final WriteConcern writeConcern;

    public BulkApplier(MongoDatabase database, WriteConcern writeConcern) {
        this.database = database;
        this.writeConcern = writeConcern;
    }

    /** Writes the last state of each document in {@code records} (read order) to {@code collection}. */
    public AppliedBatch apply(String collection, List<OutputRecord> records) {
        List<OutputRecord> collapsed = BatchCollapser.lastPerId(records);
        if (collapsed.isEmpty()) {
            return new AppliedBatch(collection, 0, 0, 0, SourcePosition.ZERO);
        }
        List<WriteModel<BsonDocument>> models = new ArrayList<>(collapsed.size());
        int deletes = 0;
        SourcePosition last = SourcePosition.ZERO;
        for (OutputRecord record : collapsed) {
            models.add(model(record));
            deletes += record.isDelete() ? 1 : 0;
            last = record.position().compareTo(last) > 0 ? record.position() : last;
        }
        write(collection, models, collapsed);
        return new AppliedBatch(collection, records.size(), collapsed.size() - deletes, deletes, last);
    }

    private static WriteModel<BsonDocument> model(OutputRecord record) {
        BsonDocument filter = new BsonDocument("_id", record.id());
        return record.isDelete() ? new DeleteOneModel<>(filter) : new ReplaceOneModel<>(filter, record.document(), UPSERT);
    }

    private void write(String collection, List<WriteModel<BsonDocument>> models, List<OutputRecord> collapsed) {
        MongoCollection<BsonDocument> target = database.getCollection(collection, BsonDocument.class)
                .withWriteConcern(writeConcern);
        try {
            target.bulkWrite(models, UNORDERED);
        } catch (MongoBulkWriteException e) {
            OutputRecord refused = e.getWriteErrors().isEmpty() ? null
                    : collapsed.get(e.getWriteErrors().get(0).getIndex());
            throw new SinkWriteException(collection, refused, describe(collection, e, collapsed), e);
        } catch (MongoException e) {
            throw new SinkWriteException(collection, null, "cannot write " + models.size() + " document(s) to target "
                    + "collection '" + database.getName() + "." + collection + "' (records "
                    + collapsed.get(0).describe() + " ...): " + e.getMessage(), e);
        }
    }

    private String describe(String collection, MongoBulkWriteException e, List<OutputRecord> collapsed) {
        String where = "target collection '" + database.getName() + "." + collection + "'";
        if (e.getWriteErrors().isEmpty()) {
            return "write concern not satisfied on " + where + ": " + e.getWriteConcernError();
        }
        BulkWriteError first = e.getWriteErrors().get(0);
        OutputRecord record = collapsed.get(first.getIndex());
        return e.getWriteErrors().size() + " write error(s) on " + where + "; first: record " + record.describe()
                + ": " + first.getMessage() + " (code " + first.getCode() + ")";
    }
}
