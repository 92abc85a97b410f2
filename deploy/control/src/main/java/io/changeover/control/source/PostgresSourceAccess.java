package io.changeover.control.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import com.mongodb.client.MongoClient;

import io.changeover.capture.PostgresReplication;
import io.changeover.control.lag.PostgresSourceClock;
import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.PostgresConnections;
import io.changeover.verify.postgres.PostgresTableReader;

/**
 * A PostgreSQL source: its clock ({@link PostgresSourceClock}), {@code reltuples} as estimated counts, the fence as
 * an update of the migration's heartbeat row (in the publication, so capture sees it), and for the verifier a
 * {@link SourceCopy} of the spec's tables.
 */
final class PostgresSourceAccess implements SourceAccess {
    private final MigrationSpec spec;
    private final PostgresConnections connections;
    private final PostgresSourceClock clock;
    private SourceCopy copy;

    PostgresSourceAccess(MigrationSpec spec) {
        this.spec = spec;
        this.connections = new PostgresConnections(spec.source().uri(), "changeover-control");
        this.clock = new PostgresSourceClock(connections);
    }

    @Override
    public SourcePosition latest() {
        return clock.latest();
    }

    @Override
    public long estimatedCount(String collection) {
        try (Connection c = connections.open(); PreparedStatement s = c.prepareStatement(
                "SELECT GREATEST(reltuples, 0)::bigint FROM pg_class WHERE oid = to_regclass(?)")) {
            s.setString(1, PostgresTableReader.qualified(collection));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw failure("read the estimated size of table '" + collection + "'", e);
        }
    }

    @Override
    public void writeFence(String id) {
        try (Connection c = connections.open(); Statement s = c.createStatement()) {
            s.execute(PostgresReplication.heartbeatStatement(spec.name()));
            c.commit();
        } catch (SQLException e) {
            throw failure("write the fence " + id + " (the migration's heartbeat row)", e);
        }
    }

    static String fenceDescription() {
        return "update the migration's heartbeat row in " + PostgresReplication.HEARTBEAT_SCHEMA + "."
                + PostgresReplication.HEARTBEAT_TABLE + " as the fence";
    }

    @Override
    public synchronized MongoClient documents() {
        if (copy != null) {
            copy.close();
        }
        copy = SourceCopy.of(spec, connections);
        return copy.client();
    }

    @Override
    public synchronized void close() {
        clock.close();
        if (copy != null) {
            copy.close();
            copy = null;
        }
    }

    private IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("cannot " + what + " on PostgreSQL source " + connections + ": "
                + e.getMessage() + " (SQLSTATE " + e.getSQLState() + ")", e);
    }
}
