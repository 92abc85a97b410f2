package io.changeover.embedded.mongo;

/**
 * The MongoDB an integration test runs against: the replica set named by the environment variable
 * {@value #URI_ENV} when it is set (a real deployment), otherwise an in-JVM replica-set member ({@link EmbeddedMongo}),
 * closed with this object.
 */
public final class MongoUnderTest implements AutoCloseable {
    /** Environment variable naming a real replica set to run the integration tests against. */
    public static final String URI_ENV = "CHANGEOVER_IT_MONGO_URI";
    private final EmbeddedMongo embedded;
    private final String uri;

    private MongoUnderTest(EmbeddedMongo embedded, String uri) {
        this.embedded = embedded;
        this.uri = uri;
    }

    public static MongoUnderTest start() {
        String external = System.getenv(URI_ENV);
        if (external != null && !external.isBlank()) {
            return new MongoUnderTest(null, external);
        }
        EmbeddedMongo mongo = EmbeddedMongo.start();
        return new MongoUnderTest(mongo, mongo.connectionString());
    }

    /** Connection string of the deployment. */
    public String uri() {
        return uri;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
