package io.changeover.demo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.changeover.embedded.mongo.EmbeddedMongo;
import io.changeover.embedded.postgres.LocalPostgres;

/** Where the demo migrates to: an in-JVM MongoDB, or a PostgreSQL server of its own (normalized tables). */
public sealed interface DemoTarget extends AutoCloseable {

    /** Starts the target {@code kind} names: {@code mongodb} or {@code postgres}. */
    static DemoTarget start(String kind) {
        return switch (kind) {
            case "mongodb" -> new Mongo(EmbeddedMongo.start());
            case "postgres" -> new Postgres(LocalPostgres.start());
            default -> throw new IllegalArgumentException("--target must be mongodb or postgres, not '" + kind + "'");
        };
    }

    /** The spec's {@code target.uri}. */
    String uri();

    /** A MongoDB client of the target; null for PostgreSQL. */
    MongoClient client();

    /** What the server is, for the demo's steps. */
    String describe();

    @Override
    void close();

    record Mongo(EmbeddedMongo server, MongoClient client) implements DemoTarget {
        Mongo(EmbeddedMongo server) {
            this(server, MongoClients.create(server.connectionString()));
        }

        public String uri() {
            return server.connectionString();
        }

        public String describe() {
            return "target MongoDB (in this JVM)";
        }


        public void close() {
            try (EmbeddedMongo s = server) {
                client.close();
            }
        }
    }

    record Postgres(LocalPostgres server) implements DemoTarget {
        static final String DATABASE = "refactored";

        public Postgres {
            server.createDatabase(DATABASE);
        }

        public String uri() {
            return server.uri(DATABASE);
        }

        public MongoClient client() {
            return null;
        }

        public String describe() {
            return "target PostgreSQL (a server of its own on 127.0.0.1:" + server.port() + ")";
        }


        public void close() {
            server.close();
        }
    }
}
