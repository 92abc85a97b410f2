package io.changeover.sink.relational;

import io.changeover.transform.spec.PostgresConnections;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.changeover.sink.AppliedBatch;
import io.changeover.sink.AppliedPositionLog;
import io.changeover.sink.BatchApplier;
import io.changeover.sink.BatchCollapser;
import io.changeover.sink.OutputRecord;
import io.changeover.sink.RetriableTargetException;
import io.changeover.sink.SinkWriteException;
import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.spec.RelationalTarget;
import io.changeover.transform.spec.TableSpec;

/**
 * Writes documents as rows of a PostgreSQL target (docs/relational-target.md). One transaction per batch: the
 * position guard first, an upsert into {@value #POSITIONS} per document that only takes effect where the stored
 * position is not newer ({@code ON CONFLICT ... DO UPDATE ... WHERE}); then, for the documents that won it only, their
 * child rows deleted, deleted documents' rows deleted, the others' rows upserted and their child rows inserted. Each
 * of those is one set-based statement over text arrays, whatever the batch size. A deleted document keeps its
 * position row (deleted = true), so an older record delivered again cannot bring it back.
 *
 * <p>A row the target refuses for its content (SQLSTATE class 22 or 23) fails the batch's transaction; the batch's
 * documents are then written one per transaction and the refused ones rejected with the server's reason.
 */
public final class RelationalApplier implements BatchApplier, AppliedPositionLog, AutoCloseable {
    public static final String POSITIONS = "changeover_positions";
    public static final String APPLIED = "changeover_applied";
    private static final Logger LOG = LoggerFactory.getLogger(RelationalApplier.class);
    private static final long SCHEMA_LOCK = 0x6368616e67656f76L;   // "changeov": one creator of the schema at a time
    private static final String GUARD = "INSERT INTO " + POSITIONS + " (collection, id, position, deleted) SELECT ?, u.c0, "
            + "u.c1::bigint, u.c2::boolean FROM " + Sql.rows(3) + " ON CONFLICT (collection, id) DO UPDATE SET "
            + "position = EXCLUDED.position, deleted = EXCLUDED.deleted WHERE " + POSITIONS + ".position <= "
            + "EXCLUDED.position RETURNING id";

    private final PostgresConnections connections;
    private final Map<String, TableStatements> statements = new LinkedHashMap<>();
    private final Map<String, RowMapper> mappers = new LinkedHashMap<>();
    private Connection connection;

    public RelationalApplier(PostgresConnections connections, RelationalTarget target) {
        this.connections = connections;
        for (TableSpec table : target.tables()) {
            statements.put(table.collection(), new TableStatements(table));
            mappers.put(table.collection(), new RowMapper(table));
        }
    }

    /** Creates the declared tables, their indexes and the sink's own tables where missing, in one transaction. */
    public void createSchema() {
        run("creation of the target's tables", c -> {
            try (Statement statement = c.createStatement()) {
                statement.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
                statement.execute("CREATE TABLE IF NOT EXISTS " + POSITIONS + " (collection text NOT NULL, id text NOT "
                        + "NULL, position bigint NOT NULL, deleted boolean NOT NULL, PRIMARY KEY (collection, id))");
                statement.execute("CREATE TABLE IF NOT EXISTS " + APPLIED + " (collection text PRIMARY KEY, position "
                        + "bigint NOT NULL, updated_at timestamptz NOT NULL)");
                for (TableStatements table : statements.values()) {
                    for (String ddl : table.createIfMissing()) {
                        statement.execute(ddl);
                    }
                }
            }
            return null;
        });
        LOG.info("target tables ready in {}: {}", connections, statements.values().stream().map(t -> t.spec.table()).toList());
    }

    @Override
    public AppliedBatch apply(String collection, List<OutputRecord> records) {
        RowMapper mapper = mapper(collection);
        List<AppliedBatch.Rejected> rejected = new ArrayList<>();
        Map<String, Mapped> byKey = new LinkedHashMap<>();   // per key, the newest record (BatchCollapser's rule)
        SourcePosition last = SourcePosition.ZERO;
        for (OutputRecord record : records) {
            last = record.position().compareTo(last) > 0 ? record.position() : last;
            try {
                String key = mapper.key(record.id());
                DocumentRows rows = record.isDelete() ? null : mapper.rows(record.id(), record.document());
                Mapped kept = byKey.get(key);
                if (kept == null || !BatchCollapser.supersedes(kept.record(), record)) {
                    byKey.remove(key);
                    byKey.put(key, new Mapped(record, key, rows));
                }
            } catch (ColumnValueException e) {
                rejected.add(new AppliedBatch.Rejected(record, "cannot be written to table "
                        + statements.get(collection).spec.table() + ": " + e.getMessage()));
            }
        }
        List<Mapped> mapped = new ArrayList<>(byKey.values());
        Outcome outcome = writeOrIsolate(collection, mapped, rejected);
        return new AppliedBatch(collection, records.size(), outcome.upserts, outcome.deletes,
                mapped.size() - outcome.upserts - outcome.deletes - outcome.refused, rejected, List.of(), last);
    }

    @Override
    public void applied(String collection, SourcePosition position) {
        run("record of the applied position of '" + collection + "'", c -> {
            try (PreparedStatement statement = c.prepareStatement("INSERT INTO " + APPLIED + " (collection, position, "
                    + "updated_at) VALUES (?, ?, now()) ON CONFLICT (collection) DO UPDATE SET position = GREATEST("
                    + APPLIED + ".position, EXCLUDED.position), updated_at = now()")) {
                statement.setString(1, collection);
                statement.setLong(2, position.value());
                statement.executeUpdate();
            }
            return null;
        });
    }

    /** The applied position recorded for {@code collection} ({@link SourcePosition#ZERO} when none). */
    public SourcePosition appliedPosition(String collection) {
        return run("read of the applied position of '" + collection + "'", c -> {
            try (PreparedStatement statement = c.prepareStatement("SELECT position FROM " + APPLIED
                    + " WHERE collection = ?")) {
                statement.setString(1, collection);
                try (ResultSet result = statement.executeQuery()) {
                    return result.next() ? new SourcePosition(result.getLong(1)) : SourcePosition.ZERO;
                }
            }
        });
    }

    @Override
    public void close() {
        closeConnection();
    }

    private record Mapped(OutputRecord record, String key, DocumentRows rows) {
    }

    private record Outcome(int upserts, int deletes, int refused) {
    }

    private Outcome writeOrIsolate(String collection, List<Mapped> mapped, List<AppliedBatch.Rejected> rejected) {
        if (mapped.isEmpty()) {
            return new Outcome(0, 0, 0);
        }
        try {
            return run("write of " + mapped.size() + " document(s) to table " + table(collection), c -> write(c, collection, mapped));
        } catch (DataError e) {
            if (mapped.size() == 1) {
                rejected.add(new AppliedBatch.Rejected(mapped.get(0).record(), "refused by table " + table(collection)
                        + ": " + SqlErrors.describe(e.cause)));
                return new Outcome(0, 0, 1);
            }
            LOG.info("a row of a batch of {} document(s) for table {} was refused ({}); writing them one by one",
                    mapped.size(), table(collection), SqlErrors.describe(e.cause));
            int upserts = 0;
            int deletes = 0;
            int refused = 0;
            for (Mapped one : mapped) {
                Outcome single = writeOrIsolate(collection, List.of(one), rejected);
                upserts += single.upserts;
                deletes += single.deletes;
                refused += single.refused;
            }
            return new Outcome(upserts, deletes, refused);
        }
    }

    /** One batch in one transaction; the documents whose position loses the guard are left alone. */
    private Outcome write(Connection c, String collection, List<Mapped> mapped) throws SQLException {
        TableStatements table = statements.get(collection);
        Set<String> won = guard(c, collection, mapped);
        List<Mapped> upserts = new ArrayList<>();
        List<String> deletes = new ArrayList<>();
        for (Mapped m : mapped) {
            if (won.contains(m.key())) {
                if (m.rows() == null) {
                    deletes.add(m.key());
                } else {
                    upserts.add(m);
                }
            }
        }
        List<String> upsertKeys = upserts.stream().map(Mapped::key).toList();
        for (String delete : table.childDelete.values()) {
            execute(c, delete, List.of(upsertKeys));
        }
        execute(c, table.delete, List.of(deletes));
        List<List<String>> columns = new ArrayList<>();
        columns.add(upsertKeys);
        for (int i = 0; i < table.spec.columns().size(); i++) {
            int column = i;
            columns.add(upserts.stream().map(m -> m.rows().parent().get(column)).toList());
        }
        execute(c, table.upsert, columns);
        for (TableSpec.ChildTableSpec child : table.spec.children()) {
            execute(c, table.childInsert.get(child.table()), childColumns(child, upserts));
        }
        return new Outcome(upserts.size(), deletes.size(), 0);
    }

    private static List<List<String>> childColumns(TableSpec.ChildTableSpec child, List<Mapped> upserts) {
        List<List<String>> columns = new ArrayList<>();
        for (int i = 0; i < child.columns().size() + 2; i++) {
            columns.add(new ArrayList<>());
        }
        for (Mapped m : upserts) {
            List<List<String>> rows = m.rows().children().get(child.table());
            for (int ordinal = 0; ordinal < rows.size(); ordinal++) {
                columns.get(0).add(m.key());
                columns.get(1).add(Integer.toString(ordinal));
                for (int i = 0; i < child.columns().size(); i++) {
                    columns.get(i + 2).add(rows.get(ordinal).get(i));
                }
            }
        }
        return columns;
    }

    private static Set<String> guard(Connection c, String collection, List<Mapped> mapped) throws SQLException {
        Set<String> won = new HashSet<>();
        try (PreparedStatement statement = c.prepareStatement(GUARD)) {
            statement.setString(1, collection);
            statement.setArray(2, c.createArrayOf("text", mapped.stream().map(Mapped::key).toArray()));
            statement.setArray(3, c.createArrayOf("text",
                    mapped.stream().map(m -> Long.toString(m.record().position().value())).toArray()));
            statement.setArray(4, c.createArrayOf("text",
                    mapped.stream().map(m -> Boolean.toString(m.rows() == null)).toArray()));
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    won.add(result.getString(1));
                }
            }
        }
        return won;
    }

    /** Runs a statement over column arrays of equal length; nothing when they are empty. */
    private static void execute(Connection c, String sql, List<List<String>> columns) throws SQLException {
        if (columns.get(0).isEmpty()) {
            return;
        }
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < columns.size(); i++) {
                statement.setArray(i + 1, c.createArrayOf("text", columns.get(i).toArray()));
            }
            statement.executeUpdate();
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** A data error of a batch, to be isolated. */
    private static final class DataError extends RuntimeException {
        final SQLException cause;

        DataError(SQLException cause) {
            super(cause);
            this.cause = cause;
        }
    }

    /**
     * Runs {@code work} on the connection (opened on first use, and again after a failure) as one transaction,
     * committed when it returns; a failure is rolled back and sorted: retriable, a data error, or a {@link SinkWriteException} naming what was done and where.
     */
    private <T> T run(String what, Work<T> work) {
        try {
            Connection c = connection();
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException e) {
            rollback();
            if (SqlErrors.dataError(e)) {
                throw new DataError(e);
            }
            if (SqlErrors.retriable(e)) {
                closeConnection();
                throw new RetriableTargetException(what + " in " + connections + " failed: " + SqlErrors.describe(e), e);
            }
            throw new SinkWriteException(null, null, what + " in " + connections + " failed: " + SqlErrors.describe(e), e);
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = connections.open();
        }
        return connection;
    }

    private void rollback() {
        try {
            if (connection != null && !connection.isClosed()) {
                connection.rollback();
            }
        } catch (SQLException e) {
            closeConnection();
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the connection to {}: {}", connections, e.getMessage());
            }
            connection = null;
        }
    }

    private RowMapper mapper(String collection) {
        RowMapper mapper = mappers.get(collection);
        if (mapper == null) {
            throw new SinkWriteException(collection, null, "target collection '" + collection + "' has no table in the "
                    + "spec's target.tables", null);
        }
        return mapper;
    }

    private String table(String collection) {
        return statements.get(collection).spec.table();
    }
}
