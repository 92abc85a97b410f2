package io.changeover.sink;

import java.util.ArrayList;
import java.util.Collection;

import org.bson.BsonDocument;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

/**
 * What the sink leaves in the target that services must not see after cutover: the position field in every
 * document ({@link PositionGuard#FIELD}) and the tombstone collection. {@link #strip} removes both; it is run by
 * cutover once the sink has stopped for good (a sink running after it would lose its order guard).
 */
public final class TargetMarkers {
    private TargetMarkers() {
    }

    /**
     * Removes the position field from every document of {@code collections} and drops {@code tombstoneCollection}.
     *
     * @return documents changed
     */
    public static long strip(MongoDatabase target, Collection<String> collections, String tombstoneCollection) {
        long changed = 0;
        for (String collection : collections) {
            changed += target.getCollection(collection, BsonDocument.class)
                    .updateMany(Filters.exists(PositionGuard.FIELD), Updates.unset(PositionGuard.FIELD))
                    .getModifiedCount();
        }
        if (target.listCollectionNames().into(new ArrayList<>()).contains(tombstoneCollection)) {
            target.getCollection(tombstoneCollection).drop();
        }
        return changed;
    }
}
