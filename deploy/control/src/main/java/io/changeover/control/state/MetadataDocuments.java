package io.changeover.control.state;

import java.util.Optional;

import org.bson.BsonDocument;

/**
 * The target's metadata, as documents by {@code _id} (layout in docs/metadata.md): a collection of a MongoDB target
 * ({@link MongoMetadataDocuments}), a table of a PostgreSQL one ({@link PostgresMetadataDocuments}).
 */
public interface MetadataDocuments {
    Optional<BsonDocument> find(String id);

    /** Replaces (or inserts) the document {@code id}; {@code document} holds {@code _id: id}. */
    void put(String id, BsonDocument document);
}
