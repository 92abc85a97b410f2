package io.changeover.embedded.mongo;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

/** One in-JVM replica-set member and a client of it, shared by the tests of a class (register as a static field). */
final class SharedMongo implements BeforeAllCallback, AfterAllCallback {
    private EmbeddedMongo mongo;
    private MongoClient client;

    @Override
    public void beforeAll(ExtensionContext context) {
        mongo = EmbeddedMongo.start();
        client = MongoClients.create(mongo.connectionString());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        client.close();
        mongo.close();
    }

    EmbeddedMongo mongo() {
        return mongo;
    }

    MongoClient client() {
        return client;
    }
}
