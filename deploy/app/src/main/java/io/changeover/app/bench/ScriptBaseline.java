package io.changeover.app.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.WriteModel;

import io.changeover.transform.engine.CollectionTransform;

/**
 * What a one-off migration script does: page through the source by {@code _id}, apply the same transform, write the
 * results in bulk, then a second pass over the target to rewrite references ({@code pid}) from old to new ids.
 * No Kafka and no live writes: the script stops the world.
 */
final class ScriptBaseline {
    private static final int BATCH = 1_000;
    private static final String REFERENCES = "pid";

    private ScriptBaseline() {
    }

    /** Migrates every source document; returns the number of source documents read. */
    static long migrate(CollectionTransform transform, MongoCollection<BsonDocument> source, MongoCollection<BsonDocument> target) {
        Map<BsonValue, BsonValue> newIds = new HashMap<>();
        long read = firstPass(transform, source, target, newIds);
        rewriteReferences(target, newIds);
        return read;
    }

    private static long firstPass(CollectionTransform transform, MongoCollection<BsonDocument> source,
                                  MongoCollection<BsonDocument> target, Map<BsonValue, BsonValue> newIds) {
        long read = 0;
        BsonValue last = null;
        while (true) {
            List<BsonDocument> page = page(source, last);
            if (page.isEmpty()) {
                return read;
            }
            List<WriteModel<BsonDocument>> writes = new ArrayList<>(page.size());
            for (BsonDocument doc : page) {
                Optional<BsonDocument> out = transform.apply(doc).document();
                out.ifPresent(d -> {
                    newIds.put(doc.get("_id"), d.get("_id"));
                    writes.add(upsert(d));
                });
            }
            if (!writes.isEmpty()) {
                target.bulkWrite(writes, new BulkWriteOptions().ordered(false));
            }
            read += page.size();
            last = page.get(page.size() - 1).get("_id");
        }
    }

    private static void rewriteReferences(MongoCollection<BsonDocument> target, Map<BsonValue, BsonValue> newIds) {
        BsonValue last = null;
        while (true) {
            List<BsonDocument> page = page(target, last);
            if (page.isEmpty()) {
                return;
            }
            List<WriteModel<BsonDocument>> writes = new ArrayList<>();
            for (BsonDocument doc : page) {
                if (doc.isArray(REFERENCES)) {
                    BsonArray rewritten = new BsonArray();
                    doc.getArray(REFERENCES).forEach(ref -> rewritten.add(newIds.getOrDefault(ref, ref)));
                    doc.put(REFERENCES, rewritten);
                    writes.add(upsert(doc));
                }
            }
            if (!writes.isEmpty()) {
                target.bulkWrite(writes, new BulkWriteOptions().ordered(false));
            }
            last = page.get(page.size() - 1).get("_id");
        }
    }

    private static List<BsonDocument> page(MongoCollection<BsonDocument> collection, BsonValue after) {
        List<BsonDocument> page = new ArrayList<>(BATCH);
        (after == null ? collection.find() : collection.find(Filters.gt("_id", after)))
                .sort(Sorts.ascending("_id")).limit(BATCH).batchSize(BATCH).into(page);
        return page;
    }

    private static WriteModel<BsonDocument> upsert(BsonDocument doc) {
        return new ReplaceOneModel<>(Filters.eq("_id", doc.get("_id")), doc, new ReplaceOptions().upsert(true));
    }
}
