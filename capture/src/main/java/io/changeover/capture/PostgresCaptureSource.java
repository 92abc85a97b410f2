package io.changeover.capture;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.PostgresConnections;
import io.changeover.transform.topics.Topics;

/**
 * A PostgreSQL database: Debezium's PostgreSQL connector on logical replication ({@code pgoutput}). Before the engine
 * starts, capture checks that every table of the spec exists and has a primary key (a row's key is its document's
 * {@code _id}), sets {@code REPLICA IDENTITY FULL} on it (so an update carries unchanged TOASTed values and a row is
 * whole in every event), creates the heartbeat table and the migration's publication over the tables and the
 * heartbeat table ({@link PostgresReplication}; Debezium creates the slot). {@code changeover cleanup} drops the slot
 * and the publication ({@link PostgresReplicationCleanup}). Nothing is watched while capture runs: a dropped table
 * stops Debezium itself.
 */
public final class PostgresCaptureSource implements CaptureSource {
    /** Longest one ALTER waits for the application's locks on a table, and how often it tries. */
    static final java.time.Duration LOCK_TIMEOUT = java.time.Duration.ofSeconds(5);
    static final int LOCK_ATTEMPTS = 5;
    private final MigrationSpec spec;
    private final CaptureConfig config;
    private final List<SourceCollection> collections;
    private final PostgresReplication replication;

    public PostgresCaptureSource(MigrationSpec spec, CaptureConfig config) {
        this.spec = spec;
        this.config = config;
        this.collections = spec.collections().stream()
                .map(c -> new SourceCollection(spec.source().database(), c.source())).toList();
        this.replication = PostgresReplication.of(spec.name());
    }

    @Override
    public List<SourceCollection> collections() {
        return collections;
    }

    @Override
    public Map<SourceCollection, Long> open() {
        PostgresConnections connections = new PostgresConnections(spec.source().uri(), "changeover-capture");
        try (Connection connection = connections.open()) {
            // every statement its own transaction: capture never holds one table's lock while it waits for another's,
            // so it cannot deadlock with the application's transactions
            connection.setAutoCommit(true);
            execute(connection, "SET lock_timeout = '" + LOCK_TIMEOUT.toMillis() + "ms'");
            Map<SourceCollection, Long> counts = new LinkedHashMap<>();
            for (SourceCollection c : collections) {
                String table = PostgresEngineProperties.qualified(c);
                requirePrimaryKey(connection, c, table);
                replicaIdentityFull(connection, table);
                counts.put(c, estimatedCount(connection, table));
            }
            execute(connection, "CREATE TABLE IF NOT EXISTS " + PostgresReplication.HEARTBEAT_SCHEMA + "."
                    + PostgresReplication.HEARTBEAT_TABLE + " (migration text PRIMARY KEY, beat timestamptz NOT NULL)");
            publish(connection);
            return counts;
        } catch (SQLException e) {
            throw new CaptureException("cannot prepare PostgreSQL source " + connections + " for capture: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Properties engineProperties() {
        return PostgresEngineProperties.of(spec, config, collections);
    }

    @Override
    public SourceDialect dialect() {
        try (CaptureOffsetsReader stored = new CaptureOffsetsReader(config.kafkaProperties(), Topics.of(spec.name()))) {
            return new PostgresSourceDialect(PostgresReplication.HEARTBEAT_TABLE, stored.position());
        }
    }

    @Override
    public LargeDocumentStrategy largeDocuments() {
        return new LargeDocumentDeadLetterStrategy();   // rows are never stubs: Debezium has no size limit here
    }

    @Override
    public void watch(Consumer<String> stop) {
        // a dropped or altered table fails Debezium's streaming itself, with the table named
    }

    @Override
    public void close() {
    }

    /**
     * {@code REPLICA IDENTITY FULL} unless the table has it: the ALTER takes an ACCESS EXCLUSIVE lock, so it is
     * skipped when there is nothing to change, waits at most {@link #LOCK_TIMEOUT} for the application's transactions
     * on the table, and is tried again a few times before capture gives up naming the table.
     */
    private static void replicaIdentityFull(Connection connection, String table) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT relreplident = 'f' FROM pg_class WHERE oid = to_regclass(?)")) {
            s.setString(1, quoted(table));
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next() && rs.getBoolean(1)) {
                    return;
                }
            }
        }
        for (int attempt = 1; ; attempt++) {
            try {
                execute(connection, "ALTER TABLE " + quoted(table) + " REPLICA IDENTITY FULL");
                return;
            } catch (SQLException e) {
                boolean busy = "55P03".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
                if (!busy || attempt == LOCK_ATTEMPTS) {
                    throw busy ? new SQLException("table " + table + " stayed locked by other sessions through "
                            + LOCK_ATTEMPTS + " attempts of " + LOCK_TIMEOUT.toSeconds() + " s; set it beforehand: ALTER"
                            + " TABLE " + quoted(table) + " REPLICA IDENTITY FULL", e.getSQLState(), e) : e;
                }
                try {
                    Thread.sleep(LOCK_TIMEOUT.toMillis() * attempt / 5);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** The publication of the spec's tables and the heartbeat table, created or brought to exactly those tables. */
    private void publish(Connection connection) throws SQLException {
        String tables = collections.stream().map(c -> quoted(PostgresEngineProperties.qualified(c)))
                .collect(Collectors.joining(", ")) + ", " + PostgresReplication.HEARTBEAT_SCHEMA + "."
                + PostgresReplication.HEARTBEAT_TABLE;
        boolean exists;
        try (PreparedStatement s = connection.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
            s.setString(1, replication.publication());
            try (ResultSet rs = s.executeQuery()) {
                exists = rs.next();
            }
        }
        execute(connection, (exists ? "ALTER PUBLICATION " + replication.publication() + " SET TABLE "
                : "CREATE PUBLICATION " + replication.publication() + " FOR TABLE ") + tables);
    }

    private static void requirePrimaryKey(Connection connection, SourceCollection c, String table) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL, EXISTS (SELECT 1"
                + " FROM pg_index WHERE indrelid = to_regclass(?) AND indisprimary)")) {
            s.setString(1, quoted(table));
            s.setString(2, quoted(table));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw new CaptureException("source table '" + c.collection() + "' (" + table
                            + ") does not exist in PostgreSQL database '" + c.database() + "'");
                }
                if (!rs.getBoolean(2)) {
                    throw new CaptureException("source table '" + c.collection() + "' has no primary key: a row's"
                            + " key is its document's _id, so every captured table needs one");
                }
            }
        }
    }

    private static long estimatedCount(Connection connection, String table) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(?)")) {
            s.setString(1, quoted(table));
            try (ResultSet rs = s.executeQuery()) {
                long estimate = rs.next() ? rs.getLong(1) : -1;
                if (estimate >= 0) {
                    return estimate;
                }
            }
        }
        try (Statement s = connection.createStatement();   // never analyzed: count it
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + quoted(table))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    /** {@code schema.table} with each part quoted as an identifier. */
    static String quoted(String qualified) {
        int dot = qualified.indexOf('.');
        return identifier(qualified.substring(0, dot)) + "." + identifier(qualified.substring(dot + 1));
    }

    private static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
