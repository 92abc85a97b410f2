package io.changeover.sink.relational;

import io.changeover.transform.spec.PostgresConnections;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

import io.changeover.embedded.postgres.LocalPostgres;
import io.changeover.embedded.postgres.SqlRows;
import io.changeover.sink.OutputRecord;
import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.spec.ColumnSpec;
import io.changeover.transform.spec.RelationalTarget;
import io.changeover.transform.spec.TableSpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever order the sink receives a history's records in, with redeliveries and any batch boundaries, the tables
 * end as the last state of each document: its row and child rows as of its highest position, or none after a delete.
 * The oracle is computed from the history alone.
 */
class RelationalGuardPropertyIT {
    private static final TableSpec JOBS = new TableSpec("jobs", "jobs", new ColumnSpec("id", "_id", "integer"),
            List.of(new ColumnSpec("value", "value", "integer")),
            List.of(new TableSpec.ChildTableSpec("job_files", "files", "job_id", "ordinal",
                    List.of(new ColumnSpec("name", "name", "text")))),
            List.of());
    private static LocalPostgres server;
    private static RelationalApplier applier;
    private static Connection sql;

    /** One change of the source: document {@code id} set to {@code value} with {@code files} files, or deleted. */
    record Op(int id, boolean delete, int value, int files) {
    }

    /** How the sink sees the history: a shuffle seed, redelivered records, and batch sizes. */
    record Delivery(long seed, int redeliveries, int batch) {
    }

    @BeforeContainer
    static void start() throws SQLException {
        server = LocalPostgres.start();
        server.createDatabase("guard");
        applier = new RelationalApplier(new PostgresConnections(server.uri("guard")), new RelationalTarget(List.of(JOBS)));
        applier.createSchema();
        sql = DriverManager.getConnection(server.jdbcUrl("guard"));
    }

    @AfterContainer
    static void stop() throws SQLException {
        sql.close();
        applier.close();
        server.close();
    }

    @Provide
    Arbitrary<List<Op>> histories() {
        Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(1, 5), Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 100), Arbitraries.integers().between(0, 3))
                .as((id, kind, value, files) -> new Op(id, kind == 0, value, files));
        return op.list().ofMinSize(1).ofMaxSize(30);
    }

    @Provide
    Arbitrary<Delivery> deliveries() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(0, 15),
                Arbitraries.integers().between(1, 8)).as(Delivery::new);
    }

    @Property(tries = 80)
    void theTablesHoldEachDocumentsLastState(@ForAll("histories") List<Op> history,
                                             @ForAll("deliveries") Delivery delivery) throws SQLException {
        try (Statement statement = sql.createStatement()) {
            statement.execute("TRUNCATE jobs, job_files, " + RelationalApplier.POSITIONS);
        }
        List<OutputRecord> records = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            records.add(record(history.get(i), i + 1));
        }
        Random random = new Random(delivery.seed());
        List<OutputRecord> received = new ArrayList<>(records);
        for (int i = 0; i < delivery.redeliveries(); i++) {
            received.add(records.get(random.nextInt(records.size())));
        }
        Collections.shuffle(received, random);
        for (int from = 0; from < received.size(); from += delivery.batch()) {
            applier.apply("jobs", received.subList(from, Math.min(received.size(), from + delivery.batch())));
        }

        Map<Integer, Op> last = new TreeMap<>();
        history.forEach(op -> last.put(op.id(), op));
        TreeSet<String> expectedRows = new TreeSet<>();
        TreeSet<String> expectedFiles = new TreeSet<>();
        last.values().stream().filter(op -> !op.delete()).forEach(op -> {
            expectedRows.add(op.id() + "|" + op.value());
            for (int f = 0; f < op.files(); f++) {
                expectedFiles.add(op.id() + "|" + f + "|f" + op.value() + "-" + f);
            }
        });
        assertThat(SqlRows.of(sql, "SELECT id, value FROM jobs")).isEqualTo(expectedRows);
        assertThat(SqlRows.of(sql, "SELECT job_id, ordinal, name FROM job_files")).isEqualTo(expectedFiles);
    }

    private static OutputRecord record(Op op, long position) {
        BsonValue id = new BsonInt32(op.id());
        if (op.delete()) {
            return new OutputRecord("out", 0, position, id, null, new SourcePosition(position), 0);
        }
        List<BsonValue> files = new ArrayList<>();
        for (int f = 0; f < op.files(); f++) {
            files.add(new BsonDocument("name", new BsonString("f" + op.value() + "-" + f)));
        }
        BsonDocument document = new BsonDocument("_id", id).append("value", new BsonInt32(op.value()))
                .append("files", new BsonArray(files));
        return new OutputRecord("out", 0, position, id, document, new SourcePosition(position), 100);
    }

}
