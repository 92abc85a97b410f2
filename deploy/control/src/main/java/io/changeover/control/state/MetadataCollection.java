package io.changeover.control.state;

import org.bson.BsonDocument;

import com.mongodb.client.MongoClient;

import io.changeover.transform.spec.PostgresConnections;
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

    /**
     * The target's metadata: its collection {@link #name} in a MongoDB target ({@code target} the client), a table of
     * that name in a PostgreSQL one ({@code target} unused, may be null).
     */
    public static MetadataDocuments open(MongoClient target, MigrationSpec spec) {
        if (spec.target().isRelational()) {
            return new PostgresMetadataDocuments(new PostgresConnections(spec.target().uri()), name(spec));
        }
        return new MongoMetadataDocuments(target.getDatabase(spec.target().database())
                .getCollection(name(spec), BsonDocument.class));
    }
}
