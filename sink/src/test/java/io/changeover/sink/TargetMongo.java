package io.changeover.sink;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.changeover.embedded.mongo.EmbeddedMongo;

/**
 * The target MongoDB of an integration test: the deployment named by {@code CHANGEOVER_IT_MONGO_URI} when set,
 * otherwise an in-JVM replica-set member ({@link EmbeddedMongo}).
 */
final class TargetMongo implements AutoCloseable {
    private final EmbeddedMongo embedded;
    private final String uri;

    private TargetMongo(EmbeddedMongo embedded, String uri) {
        this.embedded = embedded;
        this.uri = uri;
    }

    static TargetMongo start() {
        String external = System.getenv("CHANGEOVER_IT_MONGO_URI");
        if (external != null && !external.isBlank()) {
            return new TargetMongo(null, external);
        }
        EmbeddedMongo mongo = EmbeddedMongo.start();
        return new TargetMongo(mongo, mongo.connectionString());
    }

    String uri() {
        return uri;
    }

    MongoClient client() {
        return MongoClients.create(uri);
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
