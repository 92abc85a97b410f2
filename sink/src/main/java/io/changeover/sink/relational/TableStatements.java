package io.changeover.sink.relational;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.changeover.transform.spec.ColumnSpec;
import io.changeover.transform.spec.TableSpec;

/**
 * The SQL of one {@link TableSpec}, built once: its tables' DDL and the set-based statements a batch runs, each taking
 * its rows as text arrays ({@link Sql#rows}), so a batch of any size is one round trip per statement.
 */
final class TableStatements {
    final TableSpec spec;
    /** Upsert of parent rows: key, then the columns. */
    final String upsert;
    /** Delete of parent rows by key (their child rows go with them: ON DELETE CASCADE). */
    final String delete;
    /** Per child table: delete of the rows of the given parents, and insert of rows (parent key, ordinal, columns). */
    final Map<String, String> childDelete = new LinkedHashMap<>();
    final Map<String, String> childInsert = new LinkedHashMap<>();

    TableStatements(TableSpec spec) {
        this.spec = spec;
        ColumnType keyType = ColumnType.of(spec.key().type());
        String table = Sql.quote(spec.table());
        String key = Sql.quote(spec.key().name());
        List<ColumnSpec> all = new ArrayList<>();
        all.add(spec.key());
        all.addAll(spec.columns());
        StringBuilder upsertSql = new StringBuilder("INSERT INTO ").append(table).append(" (")
                .append(Sql.quoted(all.stream().map(ColumnSpec::name).toList())).append(") SELECT ")
                .append(casts(all, 0)).append(" FROM ").append(Sql.rows(all.size())).append(" ON CONFLICT (").append(key)
                .append(") DO ");
        if (spec.columns().isEmpty()) {
            upsertSql.append("NOTHING");
        } else {
            upsertSql.append("UPDATE SET ");
            for (int i = 0; i < spec.columns().size(); i++) {
                String column = Sql.quote(spec.columns().get(i).name());
                upsertSql.append(i == 0 ? "" : ", ").append(column).append(" = EXCLUDED.").append(column);
            }
        }
        this.upsert = upsertSql.toString();
        this.delete = "DELETE FROM " + table + " WHERE " + key + " IN (SELECT " + keyType.fromText("c0") + " FROM "
                + Sql.rows(1) + ")";
        for (TableSpec.ChildTableSpec child : spec.children()) {
            String childTable = Sql.quote(child.table());
            childDelete.put(child.table(), "DELETE FROM " + childTable + " WHERE " + Sql.quote(child.parentKey())
                    + " IN (SELECT " + keyType.fromText("c0") + " FROM " + Sql.rows(1) + ")");
            List<String> names = new ArrayList<>(List.of(child.parentKey(), child.ordinal()));
            child.columns().forEach(c -> names.add(c.name()));
            StringBuilder values = new StringBuilder(keyType.fromText("u.c0")).append(", u.c1::integer");
            if (!child.columns().isEmpty()) {
                values.append(", ").append(casts(child.columns(), 2));
            }
            childInsert.put(child.table(), "INSERT INTO " + childTable + " (" + Sql.quoted(names) + ") SELECT " + values
                    + " FROM " + Sql.rows(names.size()));
        }
    }

    /** The DDL creating the tables and indexes when they are missing (parent first: children reference it). */
    List<String> createIfMissing() {
        List<String> ddl = new ArrayList<>();
        String table = Sql.quote(spec.table());
        StringBuilder parent = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(table).append(" (")
                .append(Sql.quote(spec.key().name())).append(' ').append(spec.key().type()).append(" PRIMARY KEY");
        spec.columns().forEach(c -> parent.append(", ").append(Sql.quote(c.name())).append(' ').append(c.type()));
        ddl.add(parent.append(')').toString());
        for (List<String> index : spec.indexes()) {
            ddl.add("CREATE INDEX IF NOT EXISTS " + Sql.quote(indexName(spec.table(), index)) + " ON " + table + " ("
                    + Sql.quoted(index) + ")");
        }
        for (TableSpec.ChildTableSpec child : spec.children()) {
            StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(Sql.quote(child.table()))
                    .append(" (").append(Sql.quote(child.parentKey())).append(' ').append(spec.key().type())
                    .append(" NOT NULL REFERENCES ").append(table).append(" (").append(Sql.quote(spec.key().name()))
                    .append(") ON DELETE CASCADE, ").append(Sql.quote(child.ordinal())).append(" integer NOT NULL");
            child.columns().forEach(c -> sql.append(", ").append(Sql.quote(c.name())).append(' ').append(c.type()));
            sql.append(", PRIMARY KEY (").append(Sql.quote(child.parentKey())).append(", ")
                    .append(Sql.quote(child.ordinal())).append("))");
            ddl.add(sql.toString());
        }
        return ddl;
    }

    private static String casts(List<ColumnSpec> columns, int first) {
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(ColumnType.of(columns.get(i).type()).fromText("u.c" + (first + i)));
        }
        return sql.toString();
    }

    /** {@code <table>_<columns>_idx}, cut to PostgreSQL's 63 characters with a hash keeping it unique. */
    static String indexName(String table, List<String> columns) {
        String name = table + "_" + String.join("_", columns) + "_idx";
        if (name.length() <= 63) {
            return name;
        }
        String hash = Integer.toHexString(name.hashCode());
        return name.substring(0, 63 - hash.length() - 1) + "_" + hash;
    }
}
