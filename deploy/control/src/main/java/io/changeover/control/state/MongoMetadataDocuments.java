package io.changeover.control.state;

import java.util.Optional;

import org.bson.BsonDocument;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;

/** The metadata collection of a MongoDB target. */
public final class MongoMetadataDocuments implements MetadataDocuments {
    private final MongoCollection<BsonDocument> collection;

    public MongoMetadataDocuments(MongoCollection<BsonDocument> collection) {
        this.collection = collection;
    }

    @Override
    public Optional<BsonDocument> find(String id) {
        return Optional.ofNullable(collection.find(Filters.eq("_id", id)).first());
    }

    @Override
    public void put(String id, BsonDocument document) {
        collection.replaceOne(Filters.eq("_id", id), document, new ReplaceOptions().upsert(true));
    }
}
