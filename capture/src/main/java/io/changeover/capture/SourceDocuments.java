package io.changeover.capture;

import java.util.Optional;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

/** Reads source documents by {@code _id}, for changes whose document did not travel in its event. */
final class SourceDocuments implements LargeDocumentFetchStrategy.DocumentSource {
    private final MongoDatabase database;

    /** @param source a client of the source, owned by the caller */
    SourceDocuments(MongoClient source, String database) {
        this.database = source.getDatabase(database);
    }

    @Override
    public Optional<BsonDocument> find(String collection, BsonValue id) {
        return Optional.ofNullable(database.getCollection(collection, BsonDocument.class)
                .find(Filters.eq("_id", id)).first());
    }
}
