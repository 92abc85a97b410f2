package io.changeover.sink.relational;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.changeover.transform.spec.ForeignKeySpec;
import io.changeover.transform.spec.RelationalTarget;
import io.changeover.transform.spec.TableSpec;

/**
 * Adds a relational target's declared foreign keys once the migration is complete: rows arrive in any order while it
 * runs, so no constraint between tables of different collections can hold before. Each constraint is added
 * {@code NOT VALID} (no scan, a brief lock) and then validated against every row ({@code VALIDATE CONSTRAINT}, which
 * lets reads and writes go on). A constraint that exists already is left as it is, so the cutover can run again.
 */
public final class ForeignKeys {
    private static final int SAMPLES = 5;

    private ForeignKeys() {
    }

    /** Rows naming no referenced row: the constraint is not added. */
    public static final class Violation extends RuntimeException {
        Violation(String message) {
            super(message);
        }
    }

    /** Adds and validates every declared foreign key; returns one line per constraint. Commits. */
    public static List<String> apply(Connection connection, RelationalTarget target) throws SQLException {
        List<String> done = new ArrayList<>();
        for (TableSpec table : target.tables()) {
            for (ForeignKeySpec reference : table.references()) {
                TableSpec referenced = target.table(reference.collection()).orElseThrow();
                done.add(apply(connection, table, reference, referenced));
            }
        }
        return done;
    }

    /** {@code files.dataset_id -> datasets.id ON DELETE CASCADE}. */
    public static String describe(TableSpec table, ForeignKeySpec reference, TableSpec referenced) {
        return table.table() + "." + reference.column() + " -> " + referenced.table() + "." + referenced.key().name()
                + " ON DELETE " + reference.onDelete().toUpperCase(java.util.Locale.ROOT);
    }

    static String name(TableSpec table, ForeignKeySpec reference) {
        String name = table.table() + "_" + reference.column() + "_fkey";
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    private static String apply(Connection connection, TableSpec table, ForeignKeySpec reference, TableSpec referenced)
            throws SQLException {
        String name = name(table, reference);
        String what = describe(table, reference, referenced);
        if (exists(connection, table, name)) {
            return what + ": already there";
        }
        try (Statement s = connection.createStatement()) {
            s.execute("ALTER TABLE " + table.table() + " ADD CONSTRAINT " + name + " FOREIGN KEY (" + reference.column()
                    + ") REFERENCES " + referenced.table() + " (" + referenced.key().name() + ") ON DELETE "
                    + reference.onDelete().toUpperCase(java.util.Locale.ROOT) + " NOT VALID");
            connection.commit();
            s.execute("ALTER TABLE " + table.table() + " VALIDATE CONSTRAINT " + name);
            connection.commit();
            return what + ": added and validated";
        } catch (SQLException e) {
            connection.rollback();
            if (!"23503".equals(e.getSQLState())) {
                throw e;
            }
            String dangling = dangling(connection, table, reference, referenced);
            try (Statement s = connection.createStatement()) {
                s.execute("ALTER TABLE " + table.table() + " DROP CONSTRAINT IF EXISTS " + name);
                connection.commit();
            }
            throw new Violation(what + ": " + dangling);
        }
    }

    private static boolean exists(Connection connection, TableSpec table, String name) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT 1 FROM pg_constraint WHERE conname = ? AND conrelid = to_regclass(?)")) {
            s.setString(1, name);
            s.setString(2, table.table());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** How many rows name no referenced row, and a few of their values. */
    private static String dangling(Connection connection, TableSpec table, ForeignKeySpec reference,
            TableSpec referenced) throws SQLException {
        String from = " FROM " + table.table() + " t WHERE t." + reference.column() + " IS NOT NULL AND NOT EXISTS"
                + " (SELECT 1 FROM " + referenced.table() + " r WHERE r." + referenced.key().name() + " = t."
                + reference.column() + ")";
        List<String> samples = new ArrayList<>();
        long count;
        try (Statement s = connection.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*)" + from)) {
                rs.next();
                count = rs.getLong(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT t." + table.key().name() + "::text, t." + reference.column()
                    + "::text" + from + " LIMIT " + SAMPLES)) {
                while (rs.next()) {
                    samples.add(table.key().name() + " " + rs.getString(1) + " names " + rs.getString(2));
                }
            }
        }
        connection.commit();
        return count + " row(s) of " + table.table() + " name no row of " + referenced.table() + " ("
                + String.join("; ", samples) + ")";
    }
}
