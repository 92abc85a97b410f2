package io.changeover.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

import io.changeover.demo.sample.DemoWriter;
import io.changeover.demo.sample.LiveWriter;
import io.changeover.demo.sample.RegistryDataset;
import io.changeover.demo.sample.RegistryWriter;
import io.changeover.demo.sample.SampleDataset;
import io.changeover.embedded.mongo.EmbeddedMongo;
import io.changeover.embedded.postgres.LocalPostgres;

/**
 * What the demo migrates from: the sample jobs in an in-JVM MongoDB, or a data registry in a PostgreSQL server of its
 * own (integer ids becoming UUIDs). Each loads its data, runs its writer and counts its documents for the summary.
 */
public sealed interface DemoSource extends AutoCloseable {

    /** Starts the source {@code kind} names: {@code mongodb} or {@code postgres}. */
    static DemoSource start(String kind) {
        return switch (kind) {
            case "mongodb" -> new Mongo(EmbeddedMongo.start());
            case "postgres" -> new Postgres(LocalPostgres.start());
            default -> throw new IllegalArgumentException("--source must be mongodb or postgres, not '" + kind + "'");
        };
    }

    /** The spec's {@code source.uri}. */
    String uri();

    /** What the server is, for the demo's steps. */
    String describe();

    /** Loads the sample data; says what it loaded. */
    String load(DemoOptions options);

    /** Starts the writer that stands for the services. */
    DemoWriter startWriter(DemoOptions options);

    /** Documents in the source now, and where, for the summary. */
    String count();

    /** The target collection the summary counts, and what it holds. */
    String migrated();

    @Override
    void close();

    /** The sample jobs in an in-JVM MongoDB replica set. */
    final class Mongo implements DemoSource {
        private final EmbeddedMongo server;
        private final MongoClient client;
        private SampleDataset dataset;

        Mongo(EmbeddedMongo server) {
            this.server = server;
            this.client = MongoClients.create(server.connectionString());
        }

        public String uri() {
            return server.connectionString();
        }

        public String describe() {
            return "source MongoDB (in this JVM)";
        }

        public String load(DemoOptions options) {
            dataset = new SampleDataset(options.seed(), options.size());
            dataset.loadInto(legacy());
            return String.format("%,d jobs", options.size());
        }

        public DemoWriter startWriter(DemoOptions options) {
            return new LiveWriter(legacy(), dataset, options.rate(), options.seed()).start();
        }

        public String count() {
            return String.format("%,d (legacy.jobs, after the writer's changes)",
                    legacy().getCollection(SampleDataset.COLLECTION).countDocuments());
        }

        public String migrated() {
            return "jobs (completed jobs, new schema)";
        }

        private MongoDatabase legacy() {
            return client.getDatabase("legacy");
        }

        public void close() {
            try (EmbeddedMongo s = server) {
                client.close();
            }
        }
    }

    /** A data registry with serial ids in a PostgreSQL server of its own. */
    final class Postgres implements DemoSource {
        static final String DATABASE = "registry";
        private final LocalPostgres server;

        Postgres(LocalPostgres server) {
            this.server = server;
            server.createDatabase(DATABASE);
        }

        public String uri() {
            return server.uri(DATABASE);
        }

        public String describe() {
            return "source PostgreSQL (a server of its own on 127.0.0.1:" + server.port() + ", wal_level=logical)";
        }

        public String load(DemoOptions options) {
            try (Connection c = DriverManager.getConnection(server.jdbcUrl(DATABASE))) {
                long files = new RegistryDataset(options.seed(), options.size()).loadInto(c);
                return String.format("%,d datasets with %,d files (serial ids)", options.size(), files);
            } catch (SQLException e) {
                throw new DemoRun.DemoFailure("cannot load the registry into PostgreSQL: " + e.getMessage());
            }
        }

        public DemoWriter startWriter(DemoOptions options) {
            return new RegistryWriter(server.jdbcUrl(DATABASE), options.size(), options.rate(), options.seed()).start();
        }

        public String count() {
            try (Connection c = DriverManager.getConnection(server.jdbcUrl(DATABASE))) {
                return String.format("%,d (registry.datasets and registry.files, after the writer's changes)",
                        RegistryDataset.count(c));
            } catch (SQLException e) {
                throw new DemoRun.DemoFailure("cannot count the registry's rows: " + e.getMessage());
            }
        }

        public String migrated() {
            return "datasets and files (UUID keys, foreign keys rewritten)";
        }

        public void close() {
            server.close();
        }
    }
}
