package io.changeover.embedded.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.TreeSet;

/** What tests compare tables by: a query's rows as text, columns joined by {@code |}, sorted. */
public final class SqlRows {
    private SqlRows() {
    }

    public static TreeSet<String> of(Connection sql, String query) throws SQLException {
        TreeSet<String> rows = new TreeSet<>();
        try (Statement statement = sql.createStatement(); ResultSet result = statement.executeQuery(query)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i == 1 ? "" : "|").append(result.getString(i));
                }
                rows.add(row.toString());
            }
        }
        if (!sql.getAutoCommit()) {
            sql.commit();   // a test's connection must not hold a snapshot across the writes it checks
        }
        return rows;
    }
}
