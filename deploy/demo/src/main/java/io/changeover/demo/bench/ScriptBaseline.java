package io.changeover.demo.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.WriteModel;

import io.changeover.transform.blob.ObjectStore;
import io.changeover.transform.engine.CollectionTransform;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.engine.TransformException;
import io.changeover.transform.engine.TransformResult;
import io.changeover.transform.step.DedupePolicy;
import io.changeover.transform.step.Resolution;
import io.changeover.verify.ExpectedSpecStrategy;
import io.changeover.verify.ExpectedTarget.ReferenceRule;
import io.changeover.verify.SourceSideLookup;

/**
 * What a one-off migration script does, as the benchmark's baseline. No Kafka and no live writes: the script stops
 * the world.
 * <ol>
 *   <li>Page through the source by {@code _id}, apply the spec's steps to each page (side documents of {@code lookup}
 *       steps read directly from the source, one query per page; references left as they are, since the documents
 *       they point to may not be migrated yet), store dehydrated content, bulk-write the results, and remember each
 *       source id's new id. A target id written before is not written again ({@code dedupe: keep-first}, pages
 *       being in {@code _id} order); without that policy the later document replaces it.</li>
 *   <li>Page through the target and rewrite each {@code remap} field through the id map of step 1; an id not in it
 *       (a document filtered out or rejected) stays as it is ({@code missing: keep}).</li>
 * </ol>
 * Documents the spec rejects are skipped, as a script would log and skip them. References to another collection than
 * the migrated one need that collection's id map and are refused.
 */
final class ScriptBaseline {
    private static final int BATCH = 1_000;
    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);

    private ScriptBaseline() {
    }

    /**
     * Migrates every document of source collection {@code collection} into {@code target}; returns the number of source
     * documents read.
     *
     * @param blobs where dehydrated content goes (unused when no document has any)
     */
    static long migrate(CompiledSpec compiled, String collection, MongoDatabase source, MongoCollection<BsonDocument> target,
                        ObjectStore blobs) {
        CollectionTransform transform = compiled.collection(collection);
        if (!transform.remapSources().stream().allMatch(collection::equals)) {
            throw new IllegalArgumentException("the script baseline rewrites references to '" + collection
                    + "' only, not to " + transform.remapSources());
        }
        Map<BsonValue, BsonValue> newIds = new HashMap<>();
        long read = firstPass(transform, source, target, blobs, newIds);
        for (ReferenceRule rule : new ExpectedSpecStrategy(compiled, transform, source).references()) {
            rewriteReferences(target, rule.field().split("\\."), newIds);
        }
        return read;
    }

    private static long firstPass(CollectionTransform transform, MongoDatabase source, MongoCollection<BsonDocument> target,
                                  ObjectStore blobs, Map<BsonValue, BsonValue> newIds) {
        MongoCollection<BsonDocument> from = source.getCollection(transform.source(), BsonDocument.class);
        boolean keepFirst = transform.dedupe().map(p -> p.kind() == DedupePolicy.Kind.KEEP_FIRST).orElse(false);
        Set<BsonValue> written = new HashSet<>();
        long read = 0;
        BsonValue last = null;
        while (true) {
            List<BsonDocument> page = page(from, last);
            if (page.isEmpty()) {
                return read;
            }
            SourceSideLookup sides = new SourceSideLookup(source, transform.lookupSources(), page);
            List<WriteModel<BsonDocument>> writes = new ArrayList<>(page.size());
            for (BsonDocument doc : page) {
                TransformResult result = transformed(transform, doc, sides);
                if (result == null || result.document().isEmpty()) {
                    continue;
                }
                BsonDocument out = result.document().get();
                newIds.put(doc.get("_id"), out.get("_id"));
                if (written.add(out.get("_id")) || !keepFirst) {
                    result.uploads().forEach(blobs::putIfAbsent);
                    writes.add(upsert(out));
                }
            }
            if (!writes.isEmpty()) {
                target.bulkWrite(writes, new BulkWriteOptions().ordered(false));
            }
            read += page.size();
            last = page.get(page.size() - 1).get("_id");
        }
    }

    /** The document transformed with its references left as they are; null when the spec rejects it. */
    private static TransformResult transformed(CollectionTransform transform, BsonDocument doc, SourceSideLookup sides) {
        try {
            return transform.apply(doc, (collection, id) -> Resolution.found(id), sides);
        } catch (TransformException rejected) {
            return null;
        }
    }

    private static void rewriteReferences(MongoCollection<BsonDocument> target, String[] path, Map<BsonValue, BsonValue> newIds) {
        BsonValue last = null;
        while (true) {
            List<BsonDocument> page = page(target, last);
            if (page.isEmpty()) {
                return;
            }
            List<WriteModel<BsonDocument>> writes = new ArrayList<>();
            for (BsonDocument doc : page) {
                BsonValue rewritten = rewrite(doc, path, 0, newIds);
                if (!rewritten.equals(doc)) {
                    writes.add(upsert(rewritten.asDocument()));
                }
            }
            if (!writes.isEmpty()) {
                target.bulkWrite(writes, new BulkWriteOptions().ordered(false));
            }
            last = page.get(page.size() - 1).get("_id");
        }
    }

    /** {@code value} with the ids at {@code path} (from segment {@code i}, through arrays) replaced by their new ids. */
    private static BsonValue rewrite(BsonValue value, String[] path, int i, Map<BsonValue, BsonValue> newIds) {
        if (value.isArray()) {
            BsonArray array = new BsonArray();
            value.asArray().forEach(v -> array.add(rewrite(v, path, i, newIds)));
            return array;
        }
        if (i == path.length) {
            return newIds.getOrDefault(value, value);
        }
        if (!value.isDocument() || !value.asDocument().containsKey(path[i])) {
            return value;
        }
        BsonDocument copy = value.asDocument().clone();
        copy.put(path[i], rewrite(copy.get(path[i]), path, i + 1, newIds));
        return copy;
    }

    private static List<BsonDocument> page(MongoCollection<BsonDocument> collection, BsonValue after) {
        List<BsonDocument> page = new ArrayList<>(BATCH);
        (after == null ? collection.find() : collection.find(Filters.gt("_id", after)))
                .sort(Sorts.ascending("_id")).limit(BATCH).batchSize(BATCH).into(page);
        return page;
    }

    private static WriteModel<BsonDocument> upsert(BsonDocument doc) {
        return new ReplaceOneModel<>(Filters.eq("_id", doc.get("_id")), doc, UPSERT);
    }
}
