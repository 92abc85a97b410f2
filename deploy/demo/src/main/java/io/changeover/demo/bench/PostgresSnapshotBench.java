package io.changeover.demo.bench;

import java.io.PrintStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

import io.changeover.demo.DemoSpec;
import io.changeover.demo.sample.SampleDataset;
import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.embedded.mongo.EmbeddedMongo;
import io.changeover.embedded.postgres.LocalPostgres;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.TableSpec;

/**
 * {@code changeover bench --target postgres}: the demo's migration into PostgreSQL tables, snapshot only. Changeover's
 * rate is the source documents over the time from pipeline start until every one of them is through to the tables;
 * the copy limit is a {@code COPY ... FROM STDIN} of the same rows (read back from the tables Changeover wrote) into
 * empty copies of those tables (with their keys and indexes), on the same server in the same run, the median of
 * {@value #COPY_ROUNDS} rounds. The ratio is the copy's time over Changeover's.
 */
public final class PostgresSnapshotBench implements Callable<PostgresSnapshotBench.Result> {
    private static final int MIN_BYTES = 600;
    private static final int MAX_BYTES = 1_100;
    private static final int COPY_ROUNDS = 5;
    private final int size;
    private final long seed;
    private final PrintStream out;

    /** What one run measured. */
    public record Result(long documents, long rows, double snapshotDocsPerSecond, double copyDocsPerSecond,
                         double copyRowsPerSecond) {
        public double ratio() {
            return snapshotDocsPerSecond / copyDocsPerSecond;
        }
    }

    public PostgresSnapshotBench(int size, long seed, PrintStream out) {
        this.size = size;
        this.seed = seed;
        this.out = out;
    }

    @Override
    public Result call() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); EmbeddedMongo sourceServer = EmbeddedMongo.start();
             LocalPostgres postgres = LocalPostgres.start();
             MongoClient source = MongoClients.create(sourceServer.connectionString())) {
            postgres.createDatabase("refactored");
            Path work = Files.createTempDirectory("changeover-bench-postgres");
            MigrationSpec spec = DemoSpec.load(sourceServer.connectionString(), postgres.uri("refactored"),
                    kafka.bootstrapServers(), work);
            MongoDatabase sourceDb = source.getDatabase(spec.source().database());
            new SampleDataset(seed, size).largeContentUpTo(0).documentSizes(MIN_BYTES, MAX_BYTES).loadInto(sourceDb);
            long documents = sourceDb.getCollection(SampleDataset.COLLECTION).countDocuments()
                    + sourceDb.getCollection(SampleDataset.MATRICES).countDocuments();
            out.printf("==> %,d source documents; pipeline into PostgreSQL %s%n", documents, postgres.uri("refactored"));
            double seconds = SnapshotTimer.time(spec).through();
            double snapshot = documents / seconds;
            out.printf("==> Changeover snapshot into PostgreSQL: %,.0f docs/s (%.1f s)%n", snapshot, seconds);
            try (Connection sql = DriverManager.getConnection(postgres.jdbcUrl("refactored"))) {
                long[] copied = copy(sql, spec);
                double copySeconds = copied[1] / 1e9;
                Result result = new Result(documents, copied[0], snapshot, documents / copySeconds, copied[0] / copySeconds);
                out.printf("==> COPY of the same %,d rows: %.1f s (%,.0f rows/s, %,.0f source docs/s)%n", copied[0],
                        copySeconds, result.copyRowsPerSecond(), result.copyDocsPerSecond());
                out.printf("postgres snapshot %,.0f docs/s = %.3fx the COPY limit (%,.0f docs/s)%n", snapshot,
                        result.ratio(), result.copyDocsPerSecond());
                return result;
            }
        }
    }

    /** Rows copied and nanoseconds taken: every table's rows out as COPY text, then in again into empty copies. */
    private static long[] copy(Connection sql, MigrationSpec spec) throws SQLException, java.io.IOException {
        CopyManager copy = sql.unwrap(PGConnection.class).getCopyAPI();
        List<String> tables = new ArrayList<>();
        for (TableSpec table : spec.target().relational().tables()) {
            tables.add(table.table());
            table.children().forEach(c -> tables.add(c.table()));
        }
        List<String> data = new ArrayList<>();
        try (Statement statement = sql.createStatement()) {
            statement.execute("CREATE SCHEMA bench_copy");
            for (String table : tables) {
                statement.execute("CREATE TABLE bench_copy.\"" + table + "\" (LIKE public.\"" + table
                        + "\" INCLUDING ALL)");
                StringWriter rows = new StringWriter();
                copy.copyOut("COPY public.\"" + table + "\" TO STDOUT", rows);
                data.add(rows.toString());
            }
        }
        long rows = 0;
        long[] nanos = new long[COPY_ROUNDS];   // a copy takes a fraction of a second: the median of a few
        for (int round = 0; round < COPY_ROUNDS; round++) {
            try (Statement statement = sql.createStatement()) {
                for (String table : tables) {
                    statement.execute("TRUNCATE bench_copy.\"" + table + "\"");
                }
            }
            rows = 0;
            long start = System.nanoTime();
            for (int i = 0; i < tables.size(); i++) {
                rows += copy.copyIn("COPY bench_copy.\"" + tables.get(i) + "\" FROM STDIN", new StringReader(data.get(i)));
            }
            nanos[round] = System.nanoTime() - start;
        }
        java.util.Arrays.sort(nanos);
        return new long[] {rows, nanos[COPY_ROUNDS / 2]};
    }
}
