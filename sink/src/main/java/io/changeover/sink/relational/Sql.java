package io.changeover.sink.relational;

import java.util.List;
import java.util.stream.Collectors;

/** Identifier quoting and the {@code unnest} row source every statement reads its rows from. */
final class Sql {
    private Sql() {
    }

    /** A quoted identifier (names are validated plain identifiers, but may be reserved words like {@code order}). */
    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    static String quoted(List<String> identifiers) {
        return identifiers.stream().map(Sql::quote).collect(Collectors.joining(", "));
    }

    /** {@code unnest(?::text[], ...) AS u(c0, c1, ...)}: {@code columns} arrays of text, one row per index. */
    static String rows(int columns) {
        StringBuilder sql = new StringBuilder("unnest(");
        for (int i = 0; i < columns; i++) {
            sql.append(i == 0 ? "" : ", ").append("?::text[]");
        }
        sql.append(") AS u(");
        for (int i = 0; i < columns; i++) {
            sql.append(i == 0 ? "" : ", ").append("c").append(i);
        }
        return sql.append(')').toString();
    }
}
