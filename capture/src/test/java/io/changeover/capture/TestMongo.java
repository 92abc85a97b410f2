package io.changeover.capture;

import io.changeover.embedded.mongo.EmbeddedMongo;

/**
 * The MongoDB source of an integration test: the replica set named by {@code CHANGEOVER_IT_MONGO_URI} if set,
 * else the in-JVM replica-set member.
 */
final class TestMongo implements AutoCloseable {
    private final EmbeddedMongo embedded;
    private final String uri;

    private TestMongo(EmbeddedMongo embedded, String uri) {
        this.embedded = embedded;
        this.uri = uri;
    }

    static TestMongo start() {
        String external = System.getenv("CHANGEOVER_IT_MONGO_URI");
        if (external != null && !external.isBlank()) {
            return new TestMongo(null, external);
        }
        EmbeddedMongo mongo = EmbeddedMongo.start();
        return new TestMongo(mongo, mongo.connectionString());
    }

    String uri() {
        return uri;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
