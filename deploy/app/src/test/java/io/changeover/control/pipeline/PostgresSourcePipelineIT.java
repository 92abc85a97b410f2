package io.changeover.control.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.changeover.capture.CapturePhase;
import io.changeover.control.lag.CapturePosition;
import io.changeover.control.lag.LagMonitor;
import io.changeover.control.replay.Replay;
import io.changeover.control.replay.ReplaySpec;
import io.changeover.control.source.SourceAccess;
import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.embedded.postgres.LocalPostgres;
import io.changeover.embedded.postgres.SqlRows;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;
import io.changeover.verify.CollectionReport;

/**
 * PostgreSQL to PostgreSQL, online: a registry whose autoincrement integer ids become deterministic UUIDs (v5) with
 * every foreign key rewritten, while a writer inserts datasets with their files in one transaction, updates, and
 * deletes datasets (their files go by ON DELETE CASCADE). Once the writer stops and lag is zero, the new tables hold
 * exactly the source's rows, and every file points at the UUID of the dataset its integer key named: an oracle joined
 * here, in SQL over the source and the target, not computed by the pipeline.
 */
class PostgresSourcePipelineIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final int DATASETS = 300;
    private static final String SPEC = """
            migration: registry
            source: {uri: "%s"}
            target:
              uri: "%s"
              tables:
                datasets:
                  key: {column: id, type: uuid}
                  columns:
                    legacy_id: {type: integer}
                    accession: {type: text}
                    title: {type: text}
                    released: {type: timestamptz}
                files:
                  key: {column: id, type: uuid}
                  columns:
                    legacy_id: {type: integer}
                    dataset_id: {type: uuid}
                    name: {type: text}
                    bytes: {type: bigint}
            kafka: {bootstrap.servers: "%s"}
            capture: {heartbeat.interval.ms: 200}
            transform: {state.dir: "%s"}
            collections:
              datasets:
                steps:
                  - rehash-id: {fields: [_id], algorithm: uuid5, namespace: 8f6a1d0e-3c51-4b38-9a57-2d2f1f0c4e11, keep-old-id: legacy_id}
              files:
                steps:
                  - rehash-id: {fields: [_id], algorithm: uuid5, namespace: 0b9e7c1a-5d2f-4e8a-8c3b-6f1e2d4a9b70, keep-old-id: legacy_id}
                  - remap: {field: dataset_id, from: datasets, missing: "null"}
            """;

    @TempDir
    Path work;

    @Test
    void integerIdsBecomeUuidsWithEveryForeignKeyRewrittenWhileTheRegistryIsWritten() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); LocalPostgres postgres = LocalPostgres.start()) {
            postgres.createDatabase("registry");
            postgres.createDatabase("refactored");
            String source = postgres.jdbcUrl("registry");
            sql(source, "CREATE TABLE datasets (id serial PRIMARY KEY, accession text NOT NULL, title text,"
                    + " released timestamptz)",
                    "CREATE TABLE files (id serial PRIMARY KEY, dataset_id integer NOT NULL REFERENCES datasets (id)"
                    + " ON DELETE CASCADE, name text NOT NULL, bytes bigint)");
            Random random = new Random(5);
            try (Connection c = DriverManager.getConnection(source)) {
                for (int i = 0; i < DATASETS; i++) {
                    insertDataset(c, random);
                }
            }
            MigrationSpec spec = SpecLoader.parse(SPEC.formatted(postgres.uri("registry"), postgres.uri("refactored"),
                    kafka.bootstrapServers(), work.resolve("state")), "registry.yaml");

            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger changes = new AtomicInteger();
            List<Throwable> writerFailure = new ArrayList<>();
            Thread writer = new Thread(() -> write(source, writing, changes, writerFailure), "registry-writer");
            try (Pipeline pipeline = Pipeline.start(spec); Admin admin = Admin.create(Map.copyOf(spec.kafka()));
                 SourceAccess access = SourceAccess.open(spec)) {
                writer.start();
                await("snapshot done", pipeline, () -> pipeline.captureStatus().phase() == CapturePhase.STREAMING);
                int atSnapshotEnd = changes.get();
                await("the writer changed the registry after the snapshot", pipeline,
                        () -> changes.get() > atSnapshotEnd + 300);
                writing.set(false);
                writer.join();
                assertThat(writerFailure).isEmpty();
                try (LagMonitor lag = new LagMonitor(spec, admin, access, CapturePosition.of(spec, pipeline.capture()))) {
                    await("zero lag", pipeline, () -> lag.measure().zero());
                }
                assertThat(pipeline.sinkStatus().deadLettered()).as("no dead letters").isZero();
                assertThat(access.warnings()).as("a running capture's slot: nothing to warn about").isEmpty();

                List<CollectionReport> reports = SpecVerification.relational(spec, access.documents());
                assertThat(reports).hasSize(2).allSatisfy(r ->
                        assertThat(r.mismatches()).as("the verifier agrees on %s: %s", r.target(), r.samples()).isZero());
            } finally {
                writing.set(false);
                writer.join();
            }

            TreeSet<String> sourceDatasets = rows(source, "SELECT id, accession, coalesce(title, '-') FROM datasets");
            TreeSet<String> sourceFiles = rows(source, "SELECT f.id, f.dataset_id, f.name, coalesce(f.bytes, -1)"
                    + " FROM files f");
            assertThat(sourceDatasets).hasSizeGreaterThan(100);
            assertThat(sourceFiles).hasSizeGreaterThan(100);
            String target = postgres.jdbcUrl("refactored");
            assertThat(rows(target, "SELECT legacy_id, accession, coalesce(title, '-') FROM datasets"))
                    .isEqualTo(sourceDatasets);
            assertThat(rows(target, "SELECT f.legacy_id, d.legacy_id, f.name, coalesce(f.bytes, -1) FROM files f"
                    + " JOIN datasets d ON d.id = f.dataset_id")).as("every file points at its dataset's new id")
                    .isEqualTo(sourceFiles);
            try (Connection c = DriverManager.getConnection(target); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id FROM datasets UNION ALL SELECT id FROM files")) {
                while (rs.next()) {
                    assertThat(rs.getObject(1, UUID.class).version()).as("a name-based UUID").isEqualTo(5);
                }
            }
            // the retained raw topics replayed into a second database end as the same tables, the same UUIDs
            postgres.createDatabase("replayed");
            MigrationSpec replaySpec = ReplaySpec.of(spec, "v2", postgres.uri("replayed"), null);
            try (Replay replay = Replay.start(spec, replaySpec, null); Admin admin = Admin.create(Map.copyOf(spec.kafka()))) {
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                while (!replay.lag(admin).zero() || replay.feed().copied() == 0) {
                    assertThat(replay.failure()).isEmpty();
                    assertThat(System.nanoTime()).as("replay lag zero in time").isLessThan(deadline);
                    Thread.sleep(200);
                }
            }
            String replayed = postgres.jdbcUrl("replayed");
            for (String query : List.of("SELECT id, legacy_id, accession, coalesce(title, '-') FROM datasets",
                    "SELECT id, legacy_id, dataset_id, name FROM files")) {
                assertThat(rows(replayed, query)).as("replayed: " + query).isEqualTo(rows(target, query));
            }

            // status reminds the operator that the stopped capture's slot still holds WAL
            try (SourceAccess access = SourceAccess.open(spec)) {
                assertThat(access.warnings()).singleElement().asString()
                        .contains("replication slot changeover_registry has no capture connected")
                        .contains("changeover cleanup");
            }

            // the operator's cleanup: refused before the cutover (the slot holds changes not yet read), then forced
            java.nio.file.Path specFile = work.resolve("registry.yaml");
            java.nio.file.Files.writeString(specFile, SPEC.formatted(postgres.uri("registry"), postgres.uri("refactored"),
                    kafka.bootstrapServers(), work.resolve("state")));
            picocli.CommandLine cli = new picocli.CommandLine(new io.changeover.app.Changeover());
            assertThat(cli.execute("cleanup", "--spec", specFile.toString())).as("cleanup before the cutover").isOne();
            assertThat(rows(source, "SELECT slot_name FROM pg_replication_slots")).contains("changeover_registry");
            assertThat(cli.execute("cleanup", "--spec", specFile.toString(), "--force")).isZero();
            assertThat(rows(source, "SELECT slot_name FROM pg_replication_slots")).isEmpty();
            assertThat(rows(source, "SELECT pubname FROM pg_publication")).isEmpty();
        }
    }

    /** Random registry work: new datasets with files (one transaction), renames, new files, deletions. */
    private static void write(String url, AtomicBoolean writing, AtomicInteger changes, List<Throwable> failure) {
        Random r = new Random(23);
        try (Connection c = DriverManager.getConnection(url)) {
            while (writing.get()) {
                int id = 1 + r.nextInt(DATASETS + 50);
                switch (r.nextInt(6)) {
                    case 0 -> insertDataset(c, r);
                    case 1 -> update(c, "DELETE FROM datasets WHERE id = " + id);
                    case 2 -> update(c, "INSERT INTO files (dataset_id, name, bytes) SELECT id, 'late-" + r.nextInt(999)
                            + ".dat', " + r.nextInt(1 << 20) + " FROM datasets WHERE id = " + id);
                    case 3 -> update(c, "DELETE FROM files WHERE id = (SELECT min(id) FROM files WHERE dataset_id = "
                            + id + ")");
                    default -> update(c, "UPDATE datasets SET title = 'title " + r.nextInt(1000) + "' WHERE id = " + id);
                }
                changes.incrementAndGet();
                Thread.sleep(2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException | RuntimeException e) {
            failure.add(e);
        }
    }

    private static void insertDataset(Connection c, Random r) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO datasets (accession, title, released) VALUES ('DS" + r.nextInt(1_000_000) + "', "
                    + (r.nextInt(5) == 0 ? "NULL" : "'title " + r.nextInt(1000) + "'") + ", now())");
            for (int f = r.nextInt(4); f > 0; f--) {
                s.execute("INSERT INTO files (dataset_id, name, bytes) VALUES (currval('datasets_id_seq'), 'f"
                        + r.nextInt(1000) + ".dat', " + (r.nextInt(7) == 0 ? "NULL" : r.nextInt(1 << 20)) + ")");
            }
        }
        c.commit();
        c.setAutoCommit(true);
    }

    private static void update(Connection c, String statement) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static void sql(String url, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(url)) {
            for (String statement : statements) {
                update(c, statement);
            }
        }
    }

    private static TreeSet<String> rows(String url, String query) throws SQLException {
        try (Connection c = DriverManager.getConnection(url)) {
            return new TreeSet<>(SqlRows.of(c, query));
        }
    }

    private static void await(String what, Pipeline pipeline, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(pipeline.failure()).as("pipeline failure while waiting for " + what).isEmpty();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}
