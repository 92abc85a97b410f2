package io.changeover.control.cutover;

import java.util.LinkedHashSet;
import java.util.Set;

import org.bson.BsonDocument;

import com.mongodb.client.MongoDatabase;

import io.changeover.sink.PositionGuard;
import io.changeover.sink.SinkConfig;
import io.changeover.sink.TargetMarkers;
import io.changeover.transform.spec.CollectionSpec;
import io.changeover.transform.spec.MigrationSpec;

/**
 * What the sink leaves in the target that services must not see after cutover (docs/sink.md): the position field
 * {@value #POSITION_FIELD} in every migrated document and the tombstone collection. Removal is the sink's own
 * {@link TargetMarkers#strip}; this class names the collections of a spec for it.
 */
public final class SinkMarkers {
    public static final String POSITION_FIELD = PositionGuard.FIELD;

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
        return TargetMarkers.strip(target, collections, SinkConfig.from(spec).tombstoneCollection());
    }
}
