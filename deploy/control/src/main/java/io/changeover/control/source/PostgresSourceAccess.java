package io.changeover.control.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import com.mongodb.client.MongoClient;

import io.changeover.capture.PostgresReplication;
import io.changeover.control.lag.PostgresSession;
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
    /** WAL held by the slot above which status warns: 1 GiB. */
    static final long RETAINED_WAL_WARNING = 1L << 30;
    private final MigrationSpec spec;
    private final PostgresConnections connections;
    private final PostgresSession session;
    private final PostgresSourceClock clock;
    private SourceCopy copy;

    PostgresSourceAccess(MigrationSpec spec) {
        this.spec = spec;
        this.connections = new PostgresConnections(spec.source().uri(), "changeover-control");
        this.session = new PostgresSession(connections);
        this.clock = new PostgresSourceClock(session);
    }

    @Override
    public SourcePosition latest() {
        return clock.latest();
    }

    @Override
    public long estimatedCount(String collection) {
        try {
            return session.run(c -> {
                try (PreparedStatement s = c.prepareStatement(
                        "SELECT GREATEST(reltuples, 0)::bigint FROM pg_class WHERE oid = to_regclass(?)")) {
                    s.setString(1, PostgresTableReader.qualified(collection));
                    try (ResultSet rs = s.executeQuery()) {
                        return rs.next() ? rs.getLong(1) : 0L;
                    }
                }
            });
        } catch (SQLException e) {
            throw failure("read the estimated size of table '" + collection + "'", e);
        }
    }

    @Override
    public void writeFence(String id) {
        try {
            session.run(c -> {
                try (Statement s = c.createStatement()) {
                    return s.execute(PostgresReplication.heartbeatStatement(spec.name()));
                }
            });
        } catch (SQLException e) {
            throw failure("write the fence " + id + " (the migration's heartbeat row)", e);
        }
    }

    static String fenceDescription() {
        return "update the migration's heartbeat row in " + PostgresReplication.HEARTBEAT_SCHEMA + "."
                + PostgresReplication.HEARTBEAT_TABLE + " as the fence";
    }

    /**
     * The migration's replication slot, when it holds much WAL (capture behind or stopped: the source keeps every
     * segment from the slot's confirmed position on) or no capture is connected to it (after the cutover it waits for
     * {@code changeover cleanup}).
     */
    @Override
    public java.util.List<String> warnings() {
        String slot = PostgresReplication.of(spec.name()).slot();
        try {
            return session.run(c -> slotWarnings(c, slot));
        } catch (SQLException e) {
            return java.util.List.of("cannot read replication slot " + slot + " on " + connections + ": "
                    + e.getMessage());
        }
    }

    private static java.util.List<String> slotWarnings(Connection c, String slot) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT active,"
                + " pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint, confirmed_flush_lsn::text"
                + " FROM pg_replication_slots WHERE slot_name = ?")) {
            s.setString(1, slot);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return java.util.List.of();
                }
                java.util.List<String> warnings = new java.util.ArrayList<>();
                long retained = rs.getLong(2);
                if (retained > RETAINED_WAL_WARNING) {
                    warnings.add(String.format("replication slot %s holds %,d MiB of WAL not yet confirmed by capture"
                            + " (confirmed up to %s): the source keeps it until capture catches up", slot,
                            retained >> 20, rs.getString(3)));
                }
                if (!rs.getBoolean(1)) {
                    warnings.add("replication slot " + slot + " has no capture connected: the source keeps its WAL"
                            + " until capture resumes, or `changeover cleanup` drops it once the migration is over");
                }
                return warnings;
            }
        }
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
        session.close();
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
