package io.changeover.verify;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

import io.changeover.transform.step.SideLookup;

/**
 * Answers {@code lookup} steps for the verifier by reading side collections directly from the source database. The
 * side documents whose {@code _id} equals a batch document's {@code _id} (the usual case: lookup before any id change)
 * are read in bulk, one {@code $in} query per side collection; any other id is read on its own when asked. Public for
 * what else applies a spec outside the stream (the app's changed-documents verification, script baseline and schema
 * migrations).
 */
public final class SourceSideLookup implements SideLookup {
    private final MongoDatabase source;
    private final Map<String, Map<BsonValue, BsonDocument>> prefetched = new HashMap<>();

    /** Prefetches, from each of {@code sideCollections}, the documents with the ids of {@code batch}. */
    public SourceSideLookup(MongoDatabase source, Set<String> sideCollections, List<BsonDocument> batch) {
        this.source = source;
        if (sideCollections.isEmpty() || batch.isEmpty()) {
            return;
        }
        List<BsonValue> ids = batch.stream().map(d -> d.get("_id")).filter(id -> id != null).toList();
        for (String collection : sideCollections) {
            Map<BsonValue, BsonDocument> found = new HashMap<>();
            ids.forEach(id -> found.put(id, null));
            for (BsonDocument side : source.getCollection(collection, BsonDocument.class).find(Filters.in("_id", ids))) {
                found.put(side.get("_id"), side);
            }
            prefetched.put(collection, found);
        }
    }

    @Override
    public Optional<BsonDocument> find(String collection, BsonValue id) {
        Map<BsonValue, BsonDocument> known = prefetched.get(collection);
        if (known != null && known.containsKey(id)) {
            return Optional.ofNullable(known.get(id));
        }
        return Optional.ofNullable(source.getCollection(collection, BsonDocument.class).find(Filters.eq("_id", id)).first());
    }
}
