package io.changeover.sink.relational;

import io.changeover.transform.spec.PostgresConnections;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.changeover.embedded.postgres.LocalPostgres;
import io.changeover.embedded.postgres.SqlRows;
import io.changeover.sink.AppliedBatch;
import io.changeover.sink.OutputRecord;
import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.spec.ColumnSpec;
import io.changeover.transform.spec.RelationalTarget;
import io.changeover.transform.spec.TableSpec;

/** The relational writes on a real PostgreSQL: rows and child rows, the position guard, deletes, refused rows. */
class RelationalApplierIT {
    private static final TableSpec GENES = new TableSpec("genes", "genes", new ColumnSpec("id", "_id", "text"),
            List.of(new ColumnSpec("symbol", "symbol", "text"), new ColumnSpec("length", "length", "integer")),
            List.of(new TableSpec.ChildTableSpec("transcripts", "transcripts", "gene_id", "ordinal",
                    List.of(new ColumnSpec("name", "name", "text")))),
            List.of(List.of("symbol")));
    private static LocalPostgres server;
    private static int database;

    @BeforeAll
    static void start() {
        server = LocalPostgres.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private String freshDatabase() {
        String name = "genes_" + (++database);
        server.createDatabase(name);
        return name;
    }

    @Test
    void documentsBecomeRowsAndAnOlderRecordNeverOverwritesOrResurrects() throws Exception {
        String db = freshDatabase();
        try (RelationalApplier applier = applier(db); Connection sql = connect(db)) {
            applier.createSchema();
            applier.createSchema();   // idempotent: a second sink instance starting
            AppliedBatch first = applier.apply("genes", List.of(
                    upsert("g1", 10, gene("BRCA1", 100, "T1", "T2")),
                    upsert("g2", 11, gene("TP53", 200, "T9")),
                    upsert("g1", 12, gene("BRCA1", 101, "T1"))));
            assertThat(first.upserts()).isEqualTo(2);
            assertThat(SqlRows.of(sql, "SELECT id, symbol, length FROM genes ORDER BY id"))
                    .containsExactly("g1|BRCA1|101", "g2|TP53|200");
            assertThat(SqlRows.of(sql, "SELECT gene_id, ordinal, name FROM transcripts ORDER BY gene_id, ordinal"))
                    .as("the last state's child rows only").containsExactly("g1|0|T1", "g2|0|T9");

            AppliedBatch older = applier.apply("genes", List.of(upsert("g1", 11, gene("OLD", 1, "X"))));
            assertThat(older.stale()).isEqualTo(1);
            assertThat(SqlRows.of(sql, "SELECT symbol FROM genes WHERE id = 'g1'")).containsExactly("BRCA1");

            applier.apply("genes", List.of(delete("g2", 20)));
            assertThat(SqlRows.of(sql, "SELECT id FROM genes ORDER BY id")).containsExactly("g1");
            assertThat(SqlRows.of(sql, "SELECT gene_id FROM transcripts")).as("child rows go with their parent")
                    .containsExactly("g1");
            AppliedBatch resurrection = applier.apply("genes", List.of(upsert("g2", 15, gene("TP53", 200, "T9"))));
            assertThat(resurrection.stale()).as("an upsert older than the delete").isEqualTo(1);
            assertThat(SqlRows.of(sql, "SELECT id FROM genes ORDER BY id")).containsExactly("g1");

            applier.apply("genes", List.of(upsert("g1", 12, gene("BRCA1-replayed", 101, "T1"))));
            assertThat(SqlRows.of(sql, "SELECT symbol FROM genes WHERE id = 'g1'")).as("an equal position is a replay")
                    .containsExactly("BRCA1-replayed");

            applier.applied("genes", new SourcePosition(12));
            applier.applied("genes", new SourcePosition(11));
            assertThat(applier.appliedPosition("genes")).isEqualTo(new SourcePosition(12));
        }
    }

    @Test
    void aRowTheTableRefusesIsRejectedWithItsReasonAndTheRestIsWritten() throws Exception {
        String db = freshDatabase();
        try (RelationalApplier applier = applier(db); Connection sql = connect(db)) {
            applier.createSchema();
            try (Statement statement = sql.createStatement()) {
                statement.execute("ALTER TABLE genes ADD CONSTRAINT positive CHECK (length > 0)");
            }
            sql.commit();
            List<OutputRecord> batch = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                batch.add(upsert("g" + i, 100 + i, gene("S" + i, i == 3 ? -1 : i + 1, "T")));
            }
            batch.add(upsert("bad-type", 200, gene("S", 1, "T").append("length", new BsonString("long"))));
            AppliedBatch applied = applier.apply("genes", batch);
            assertThat(applied.rejected()).extracting(r -> r.record().id().asString().getValue())
                    .containsExactlyInAnyOrder("g3", "bad-type");
            assertThat(applied.rejected()).anySatisfy(r -> assertThat(r.reason()).contains("positive").contains("23514"));
            assertThat(applied.rejected()).anySatisfy(r -> assertThat(r.reason()).contains("column length (integer"));
            assertThat(SqlRows.of(sql, "SELECT id FROM genes ORDER BY id")).containsExactly("g0", "g1", "g2", "g4");
            assertThat(SqlRows.of(sql, "SELECT count(*) FROM transcripts")).containsExactly("4");
        }
    }

    private static RelationalApplier applier(String db) {
        return new RelationalApplier(new PostgresConnections(server.uri(db)), new RelationalTarget(List.of(GENES)));
    }

    private static Connection connect(String db) throws SQLException {
        Connection connection = DriverManager.getConnection(server.jdbcUrl(db));
        connection.setAutoCommit(false);
        return connection;
    }

    private static BsonDocument gene(String symbol, int length, String... transcripts) {
        List<BsonValue> names = new ArrayList<>();
        for (String t : transcripts) {
            names.add(new BsonDocument("name", new BsonString(t)));
        }
        return new BsonDocument("symbol", new BsonString(symbol)).append("length", new BsonInt32(length))
                .append("transcripts", new BsonArray(names));
    }

    private static OutputRecord upsert(String id, long position, BsonDocument document) {
        BsonDocument withId = new BsonDocument("_id", new BsonString(id));
        withId.putAll(document);
        return new OutputRecord("out", 0, position, new BsonString(id), withId, new SourcePosition(position), 100);
    }

    private static OutputRecord delete(String id, long position) {
        return new OutputRecord("out", 0, position, new BsonString(id), null, new SourcePosition(position), 0);
    }

}
