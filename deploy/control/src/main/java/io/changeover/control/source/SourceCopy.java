package io.changeover.control.source;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.bson.BsonDocument;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import io.changeover.embedded.mongo.EmbeddedMongo;
import io.changeover.transform.spec.CollectionSpec;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.PostgresConnections;
import io.changeover.verify.postgres.PostgresTableReader;

/**
 * A consistent copy of a PostgreSQL source's tables as documents, for the verifier (which compares by MongoDB's
 * rules): read in one {@code REPEATABLE READ} read-only transaction by {@link PostgresTableReader} (the verifier's
 * own reading of rows, not capture's) into the project's in-JVM MongoDB, in memory. Memory: the whole source.
 */
final class SourceCopy implements AutoCloseable {
    private static final int BATCH = 1000;
    private final EmbeddedMongo server;
    private final MongoClient client;

    private SourceCopy(EmbeddedMongo server, MongoClient client) {
        this.server = server;
        this.client = client;
    }

    static SourceCopy of(MigrationSpec spec, PostgresConnections connections) {
        EmbeddedMongo server = EmbeddedMongo.start();
        MongoClient client = MongoClients.create(server.connectionString());
        SourceCopy copy = new SourceCopy(server, client);
        try (Connection c = connections.open()) {
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            PostgresTableReader reader = new PostgresTableReader(c);
            for (String table : spec.collections().stream().map(CollectionSpec::source).distinct().toList()) {
                copy(reader, table, client.getDatabase(spec.source().database()).getCollection(table, BsonDocument.class));
            }
            c.commit();
            return copy;
        } catch (SQLException | RuntimeException e) {
            copy.close();
            throw new IllegalStateException("cannot copy the tables of PostgreSQL source " + connections
                    + " for verification: " + e.getMessage(), e);
        }
    }

    private static void copy(PostgresTableReader reader, String table, MongoCollection<BsonDocument> into)
            throws SQLException {
        List<BsonDocument> batch = new ArrayList<>(BATCH);
        reader.read(table, document -> {
            batch.add(document);
            if (batch.size() == BATCH) {
                into.insertMany(batch);
                batch.clear();
            }
        });
        if (!batch.isEmpty()) {
            into.insertMany(batch);
        }
    }

    MongoClient client() {
        return client;
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            server.close();
        }
    }
}
