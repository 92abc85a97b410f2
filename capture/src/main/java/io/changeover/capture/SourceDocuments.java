package io.changeover.capture;

import java.util.Optional;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;

/**
 * Reads source documents by {@code _id}, for changes whose document did not travel in its event
 * ({@link LargeDocumentFetchStrategy}). Connects on first use only: most captures never need it.
 */
final class SourceDocuments implements LargeDocumentFetchStrategy.DocumentSource, AutoCloseable {
    private final String uri;
    private final String database;
    private MongoClient client;

    SourceDocuments(String uri, String database) {
        this.uri = uri;
        this.database = database;
    }

    @Override
    public synchronized Optional<BsonDocument> find(String collection, BsonValue id) {
        if (client == null) {
            client = MongoClients.create(uri);
        }
        return Optional.ofNullable(client.getDatabase(database).getCollection(collection, BsonDocument.class)
                .find(Filters.eq("_id", id)).first());
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
        }
    }
}
