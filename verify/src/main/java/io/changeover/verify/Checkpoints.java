package io.changeover.verify;

import java.util.Optional;

import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;

/**
 * The verifier's checkpoints in the target's metadata collection ({@code docs/metadata.md}): one document
 * {@code verify.checkpoint.<target collection>} per collection, holding the options it was made with, the last
 * target id key compared (documents are compared in the order of their id keys), the counts so far, and whether the
 * collection is done. A run with {@code resume} skips what a checkpoint with the same options covers.
 */
final class Checkpoints {
    static final String PREFIX = "verify.checkpoint.";
    private final MongoCollection<BsonDocument> metadata;
    private final String runKey;

    Checkpoints(MongoDatabase target, String collection, String runKey) {
        this.metadata = target.getCollection(collection, BsonDocument.class);
        this.runKey = runKey;
    }

    /** A collection's progress. */
    record Progress(byte[] lastKey, CollectionReport counts, boolean done) {
    }

    Optional<Progress> load(String target) {
        BsonDocument doc = metadata.find(Filters.eq("_id", PREFIX + target)).first();
        if (doc == null || !runKey.equals(doc.getString("runKey", new BsonString("")).getValue())) {
            return Optional.empty();
        }
        byte[] key = doc.isBinary("lastKey") ? doc.getBinary("lastKey").getData() : null;
        return Optional.of(new Progress(key, Reports.collectionFrom(doc.getDocument("counts")),
                doc.getBoolean("done", BsonBoolean.FALSE).getValue()));
    }

    void save(String target, byte[] lastKey, CollectionReport counts, boolean done) {
        BsonDocument doc = new BsonDocument("_id", new BsonString(PREFIX + target))
                .append("kind", new BsonString("verify.checkpoint"))
                .append("runKey", new BsonString(runKey))
                .append("collection", new BsonString(target))
                .append("counts", Reports.collectionTo(counts))
                .append("done", BsonBoolean.valueOf(done))
                .append("updatedAt", new BsonDateTime(System.currentTimeMillis()))
                .append("documentsCompared", new BsonInt64(counts.expectedCount()));
        if (lastKey != null) {
            doc.append("lastKey", new BsonBinary(lastKey));
        }
        metadata.replaceOne(Filters.eq("_id", PREFIX + target), doc, new ReplaceOptions().upsert(true));
    }

    /** Removes the checkpoints of a finished run, so the next run starts from the beginning. */
    void clear() {
        metadata.deleteMany(Filters.regex("_id", "^" + PREFIX.replace(".", "\\.")));
    }
}
