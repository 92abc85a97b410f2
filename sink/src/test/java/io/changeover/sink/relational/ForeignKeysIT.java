package io.changeover.sink.relational;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.changeover.embedded.postgres.LocalPostgres;
import io.changeover.transform.spec.ColumnSpec;
import io.changeover.transform.spec.ForeignKeySpec;
import io.changeover.transform.spec.RelationalTarget;
import io.changeover.transform.spec.TableSpec;

/** The cutover's foreign keys on a real PostgreSQL: refused, named, while a row dangles; added and enforced after. */
class ForeignKeysIT {
    private static final TableSpec DATASETS = new TableSpec("datasets", "datasets", new ColumnSpec("id", "_id", "uuid"),
            List.of(new ColumnSpec("title", "title", "text")), List.of(), List.of());
    private static final TableSpec FILES = new TableSpec("files", "files", new ColumnSpec("id", "_id", "uuid"),
            List.of(new ColumnSpec("dataset_id", "dataset_id", "uuid")), List.of(), List.of(),
            List.of(new ForeignKeySpec("dataset_id", "datasets", "cascade")));
    private static final String D1 = "'00000000-0000-5000-8000-000000000001'";
    private static final String D2 = "'00000000-0000-5000-8000-000000000002'";

    @Test
    void aDanglingRowIsNamedThenTheKeyIsAddedValidatedAndEnforced() throws Exception {
        try (LocalPostgres postgres = LocalPostgres.start()) {
            postgres.createDatabase("fk");
            try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("fk"))) {
                execute(c, "CREATE TABLE datasets (id uuid PRIMARY KEY, title text)",
                        "CREATE TABLE files (id uuid PRIMARY KEY, dataset_id uuid)",
                        "INSERT INTO datasets VALUES (" + D1 + ", 'one')",
                        "INSERT INTO files VALUES ('00000000-0000-5000-8000-00000000000a', " + D1 + "),"
                                + " ('00000000-0000-5000-8000-00000000000b', " + D2 + "),"
                                + " ('00000000-0000-5000-8000-00000000000c', NULL)");
                c.setAutoCommit(false);
                RelationalTarget target = new RelationalTarget(List.of(DATASETS, FILES));
                assertThatThrownBy(() -> ForeignKeys.apply(c, target)).isInstanceOf(ForeignKeys.Violation.class)
                        .hasMessageContaining("files.dataset_id -> datasets.id ON DELETE CASCADE")
                        .hasMessageContaining("1 row(s) of files name no row of datasets")
                        .hasMessageContaining("id 00000000-0000-5000-8000-00000000000b names " + D2.replace("'", ""));
                assertThat(constraints(c)).as("not left half added").isZero();

                c.setAutoCommit(true);
                execute(c, "INSERT INTO datasets VALUES (" + D2 + ", 'two')");
                c.setAutoCommit(false);
                assertThat(ForeignKeys.apply(c, target)).containsExactly(
                        "files.dataset_id -> datasets.id ON DELETE CASCADE: added and validated");
                assertThat(ForeignKeys.apply(c, target)).as("a cutover run again")
                        .containsExactly("files.dataset_id -> datasets.id ON DELETE CASCADE: already there");
                c.setAutoCommit(true);
                assertThatThrownBy(() -> execute(c, "INSERT INTO files VALUES ('00000000-0000-5000-8000-00000000000d',"
                        + " '00000000-0000-5000-8000-000000000099')")).isInstanceOf(SQLException.class)
                        .hasMessageContaining("files_dataset_id_fkey");
                execute(c, "DELETE FROM datasets WHERE id = " + D1);
                assertThat(count(c, "SELECT count(*) FROM files")).as("cascaded: the null one and D2's left").isEqualTo(2);
            }
        }
    }

    private static long constraints(Connection c) throws SQLException {
        return count(c, "SELECT count(*) FROM pg_constraint WHERE contype = 'f'");
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(Connection c, String... statements) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
