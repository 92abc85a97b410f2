package io.changeover.app.cutover;

import java.util.LinkedHashSet;
import java.util.Set;

import org.bson.BsonDocument;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import io.changeover.transform.spec.CollectionSpec;
import io.changeover.transform.spec.MigrationSpec;

/**
 * What the sink leaves in the target that services must not see after cutover (docs/sink.md, docs/metadata.md): the
 * position field {@value #POSITION_FIELD} in every migrated document and the tombstone collection (sink setting
 * {@code tombstone.collection}, default {@value #DEFAULT_TOMBSTONES}). Read from that documented layout; the sink's
 * own {@code TargetMarkers.strip} does the same once it is released, and this class should then call it.
 */
public final class SinkMarkers {
    public static final String POSITION_FIELD = "_changeover_position";
    static final String DEFAULT_TOMBSTONES = "changeover_tombstones";

    private SinkMarkers() {
    }

    /** {@code document} without the sink's position field. */
    public static BsonDocument unstamped(BsonDocument document) {
        if (document == null || !document.containsKey(POSITION_FIELD)) {
            return document;
        }
        BsonDocument copy = document.clone();
        copy.remove(POSITION_FIELD);
        return copy;
    }

    /** Removes the position field from every migrated document and drops the tombstone collection; returns documents changed. */
    public static long strip(MongoDatabase target, MigrationSpec spec) {
        Set<String> collections = new LinkedHashSet<>();
        spec.collections().stream().map(CollectionSpec::into).forEach(collections::add);
        long changed = 0;
        for (String collection : collections) {
            changed += target.getCollection(collection, BsonDocument.class)
                    .updateMany(Filters.exists(POSITION_FIELD), Updates.unset(POSITION_FIELD)).getModifiedCount();
        }
        Object configured = spec.sink().get("tombstone.collection");
        String tombstones = configured == null ? DEFAULT_TOMBSTONES : configured.toString();
        if (target.listCollectionNames().into(new java.util.ArrayList<>()).contains(tombstones)) {
            target.getCollection(tombstones).drop();
        }
        return changed;
    }
}
