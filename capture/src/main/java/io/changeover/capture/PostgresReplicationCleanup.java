package io.changeover.capture;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.PostgresConnections;

/**
 * Drops what capture created on a PostgreSQL source for one migration once it is over: the replication slot (which
 * otherwise keeps the source's WAL forever), the publication and the migration's heartbeat row. A slot still in use
 * (capture running) is refused by PostgreSQL, by name.
 */
public final class PostgresReplicationCleanup {
    private PostgresReplicationCleanup() {
    }

    /** What was dropped, one line each; nothing when there was nothing to drop. */
    public static List<String> drop(MigrationSpec spec) {
        PostgresReplication replication = PostgresReplication.of(spec.name());
        PostgresConnections connections = new PostgresConnections(spec.source().uri(), "changeover-cleanup");
        List<String> dropped = new ArrayList<>();
        try (Connection connection = connections.open()) {
            connection.setAutoCommit(true);
            try (PreparedStatement s = connection.prepareStatement(
                    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
                s.setString(1, replication.slot());
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        dropped.add("replication slot " + replication.slot());
                    }
                }
            }
            if (publicationExists(connection, replication.publication())) {
                try (Statement s = connection.createStatement()) {
                    s.execute("DROP PUBLICATION " + replication.publication());
                    dropped.add("publication " + replication.publication());
                }
            }
            try (PreparedStatement s = connection.prepareStatement("DELETE FROM " + PostgresReplication.HEARTBEAT_SCHEMA
                    + "." + PostgresReplication.HEARTBEAT_TABLE + " WHERE migration = ?")) {
                s.setString(1, spec.name());
                if (s.executeUpdate() > 0) {
                    dropped.add("heartbeat row " + spec.name());
                }
            } catch (SQLException e) {
                if (!"42P01".equals(e.getSQLState())) {   // no heartbeat table: capture never prepared this source
                    throw e;
                }
            }
            return dropped;
        } catch (SQLException e) {
            throw new CaptureException("cannot clean up PostgreSQL source " + connections + " of migration '"
                    + spec.name() + "': " + e.getMessage(), e);
        }
    }

    private static boolean publicationExists(Connection connection, String publication) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
            s.setString(1, publication);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }
}
