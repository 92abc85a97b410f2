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
import java.util.Arrays;
import java.util.concurrent.Callable;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import io.changeover.demo.DemoSpec;
import io.changeover.demo.sample.RegistryDataset;
import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.embedded.postgres.LocalPostgres;
import io.changeover.transform.spec.MigrationSpec;

/**
 * {@code changeover bench --source postgres}: the registry demo's migration from one PostgreSQL server into tables of
 * another, snapshot only. Changeover's rate is the source rows over the time from pipeline start until every one of
 * them is through to the target tables (UUID keys, foreign keys remapped); the copy limit moves the same rows between
 * the same two servers with {@code COPY ... TO STDOUT} from the source and {@code COPY ... FROM STDIN} into empty
 * copies of the source tables (keys, foreign key and index included) on the target server, both timed, the median of
 * {@value #COPY_ROUNDS} rounds in the same run.
 */
public final class PostgresSourceBench implements Callable<PostgresSnapshotBench.Result> {
    private static final int COPY_ROUNDS = 5;
    private final int size;
    private final long seed;
    private final PrintStream out;

    /** @param size datasets in the registry (each with 0 to 4 files) */
    public PostgresSourceBench(int size, long seed, PrintStream out) {
        this.size = size;
        this.seed = seed;
        this.out = out;
    }

    @Override
    public PostgresSnapshotBench.Result call() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); LocalPostgres source = LocalPostgres.start();
             LocalPostgres target = LocalPostgres.start()) {
            source.createDatabase("registry");
            target.createDatabase("refactored");
            target.createDatabase("bench_copy");
            long rows;
            try (Connection c = DriverManager.getConnection(source.jdbcUrl("registry"))) {
                rows = size + new RegistryDataset(seed, size).loadInto(c);
            }
            Path work = Files.createTempDirectory("changeover-bench-postgres-source");
            MigrationSpec spec = DemoSpec.load(source.uri("registry"), target.uri("refactored"),
                    kafka.bootstrapServers(), work);
            out.printf("==> %,d source rows (registry.datasets, registry.files); pipeline into PostgreSQL %s%n", rows,
                    target.uri("refactored"));
            SnapshotTimer.Seconds seconds = SnapshotTimer.time(spec);
            double snapshot = rows / seconds.through();
            out.printf("==> Changeover snapshot from PostgreSQL into PostgreSQL: %,.0f rows/s (%.1f s; capture had read"
                    + " every row after %.1f s)%n", snapshot, seconds.through(), seconds.read());
            try (Connection from = DriverManager.getConnection(source.jdbcUrl("registry"));
                 Connection into = DriverManager.getConnection(target.jdbcUrl("bench_copy"))) {
                double copySeconds = copy(from, into) / 1e9;
                PostgresSnapshotBench.Result result = new PostgresSnapshotBench.Result(rows, rows, snapshot,
                        rows / copySeconds, rows / copySeconds);
                out.printf("==> COPY of the same %,d rows from server to server: %.2f s (%,.0f rows/s)%n", rows,
                        copySeconds, result.copyRowsPerSecond());
                out.printf("postgres source snapshot %,.0f rows/s = %.3fx the COPY limit (%,.0f rows/s)%n", snapshot,
                        result.ratio(), result.copyDocsPerSecond());
                return result;
            }
        }
    }

    /** The median nanoseconds of rounds that copy every registry table out of {@code from} into fresh tables. */
    private static long copy(Connection from, Connection into) throws SQLException, java.io.IOException {
        CopyManager out = from.unwrap(PGConnection.class).getCopyAPI();
        CopyManager in = into.unwrap(PGConnection.class).getCopyAPI();
        long[] nanos = new long[COPY_ROUNDS];
        for (int round = 0; round < COPY_ROUNDS; round++) {
            try (Statement s = into.createStatement()) {
                s.execute("DROP TABLE IF EXISTS files, datasets");
            }
            RegistryDataset.createTables(into);
            long start = System.nanoTime();
            for (String table : RegistryDataset.TABLES) {
                StringWriter rows = new StringWriter();
                out.copyOut("COPY public.\"" + table + "\" TO STDOUT", rows);
                in.copyIn("COPY public.\"" + table + "\" FROM STDIN", new StringReader(rows.toString()));
            }
            nanos[round] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return nanos[COPY_ROUNDS / 2];
    }
}
