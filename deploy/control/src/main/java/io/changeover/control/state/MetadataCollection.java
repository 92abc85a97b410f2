package io.changeover.control.state;

import org.bson.BsonDocument;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;

import io.changeover.transform.spec.MigrationSpec;

/**
 * The target's metadata collection (layout in docs/metadata.md). Its name is the sink's {@code metadata.collection}
 * setting when the spec sets it, else {@value #DEFAULT_NAME}, the sink's default.
 */
public final class MetadataCollection {
    public static final String DEFAULT_NAME = "changeover_metadata";
    static final String SINK_KEY = "metadata.collection";

    private MetadataCollection() {
    }

    public static String name(MigrationSpec spec) {
        Object configured = spec.sink().get(SINK_KEY);
        return configured == null ? DEFAULT_NAME : configured.toString();
    }

    public static MongoCollection<BsonDocument> open(MongoClient target, MigrationSpec spec) {
        return target.getDatabase(spec.target().database()).getCollection(name(spec), BsonDocument.class);
    }
}
