package io.changeover.verify;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.changeover.embedded.mongo.EmbeddedMongo;

/**
 * One in-JVM MongoDB and a client of it for the tests of a class: register as a static field with
 * {@code @RegisterExtension}; each test takes fresh databases from {@link #client()}.
 */
final class TestMongo implements BeforeAllCallback, AfterAllCallback {
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

    MongoClient client() {
        return client;
    }
}
