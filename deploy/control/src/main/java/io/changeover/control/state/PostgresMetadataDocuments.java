package io.changeover.control.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

import org.bson.BsonDocument;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

import io.changeover.transform.spec.PostgresConnections;

/**
 * The metadata of a PostgreSQL target: a table {@code (id text PRIMARY KEY, document text)} named like the metadata
 * collection, each document as canonical Extended JSON (types kept exactly). A connection per call: status reads it
 * once a second at most.
 */
public final class PostgresMetadataDocuments implements MetadataDocuments {
    private static final JsonWriterSettings CANONICAL = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();
    private final PostgresConnections connections;
    private final String table;

    public PostgresMetadataDocuments(PostgresConnections connections, String table) {
        this.connections = connections;
        this.table = '"' + table + '"';
    }

    @Override
    public Optional<BsonDocument> find(String id) {
        try (Connection c = connections.open()) {
            ensureTable(c);
            try (PreparedStatement select = c.prepareStatement("SELECT document FROM " + table + " WHERE id = ?")) {
                select.setString(1, id);
                try (ResultSet result = select.executeQuery()) {
                    Optional<BsonDocument> found = result.next() ? Optional.of(BsonDocument.parse(result.getString(1)))
                            : Optional.empty();
                    c.commit();
                    return found;
                }
            }
        } catch (SQLException e) {
            throw failure("read of '" + id + "'", e);
        }
    }

    @Override
    public void put(String id, BsonDocument document) {
        try (Connection c = connections.open()) {
            ensureTable(c);
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO " + table + " (id, document) VALUES (?, ?) "
                    + "ON CONFLICT (id) DO UPDATE SET document = EXCLUDED.document")) {
                upsert.setString(1, id);
                upsert.setString(2, document.toJson(CANONICAL));
                upsert.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            throw failure("write of '" + id + "'", e);
        }
    }

    private void ensureTable(Connection c) throws SQLException {
        try (Statement statement = c.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + table + " (id text PRIMARY KEY, document text NOT NULL)");
        }
    }

    private IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException(what + " in the metadata table " + table + " of " + connections + " failed: "
                + e.getMessage() + " (SQLSTATE " + e.getSQLState() + ")", e);
    }
}
