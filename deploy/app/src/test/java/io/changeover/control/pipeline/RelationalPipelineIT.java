package io.changeover.control.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;

import io.changeover.capture.CapturePhase;
import io.changeover.control.lag.CapturePosition;
import io.changeover.control.lag.LagMonitor;
import io.changeover.control.lag.SourceClock;
import io.changeover.control.replay.Replay;
import io.changeover.control.replay.ReplaySpec;
import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.embedded.mongo.EmbeddedMongo;
import io.changeover.embedded.postgres.LocalPostgres;
import io.changeover.embedded.postgres.SqlRows;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;
import io.changeover.verify.CollectionReport;

/**
 * MongoDB to PostgreSQL, online: a writer inserts, updates (moving jobs in and out of the spec's filter, growing and
 * shrinking their file lists) and deletes while the pipeline snapshots and streams into normalized tables on a real
 * PostgreSQL. Once the writer stops and lag is zero, the tables hold exactly the rows computed here from the source.
 */
class RelationalPipelineIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final int DOCUMENTS = 600;
    private static final String SPEC = """
            migration: moving-off
            source: {uri: "%s", database: legacy}
            target:
              uri: "%s"
              tables:
                jobs:
                  key: {column: id, type: bigint}
                  columns:
                    kind: {type: text}
                    owner: {field: "meta.owner", type: text}
                    size: {type: integer}
                  children:
                    job_files:
                      array: files
                      parent-key: job_id
                      columns:
                        name: {type: text}
                        bytes: {type: bigint}
                  indexes: [[owner]]
            kafka: {bootstrap.servers: "%s"}
            transform: {state.dir: "%s"}
            collections:
              jobs:
                steps:
                  - keep: {status: done}
                  - rename: {job_type: kind}
            """;

    @TempDir
    Path work;

    @Test
    void aLiveCollectionEndsAsExactlyItsRowsAndChildRows() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); EmbeddedMongo sourceServer = EmbeddedMongo.start();
             LocalPostgres postgres = LocalPostgres.start();
             MongoClient source = MongoClients.create(sourceServer.connectionString())) {
            postgres.createDatabase("refactored");
            MigrationSpec spec = SpecLoader.parse(SPEC.formatted(sourceServer.connectionString(), postgres.uri("refactored"),
                    kafka.bootstrapServers(), work.resolve("state")), "moving-off.yaml");
            MongoCollection<BsonDocument> jobs = source.getDatabase("legacy").getCollection("jobs", BsonDocument.class);
            Random random = new Random(17);
            for (int i = 0; i < DOCUMENTS; i++) {
                jobs.insertOne(job(i, random));
            }
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Throwable> writerFailure = new ArrayList<>();
            int[] changes = {0};
            Thread writer = new Thread(() -> {
                Random r = new Random(23);
                try {
                    while (writing.get()) {
                        int id = r.nextInt(DOCUMENTS + 100);
                        if (r.nextInt(10) == 0) {
                            jobs.deleteOne(Filters.eq("_id", id));
                        } else {
                            jobs.replaceOne(Filters.eq("_id", id), job(id, r), new ReplaceOptions().upsert(true));
                        }
                        changes[0]++;
                        Thread.sleep(3);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    writerFailure.add(e);
                }
            }, "relational-it-writer");
            writer.start();
            try (Pipeline pipeline = Pipeline.start(spec); Admin admin = Admin.create(Map.copyOf(spec.kafka()))) {
                await("snapshot done", pipeline, () -> pipeline.captureStatus().phase() == CapturePhase.STREAMING);
                int atSnapshotEnd = changes[0];
                await("the writer changed jobs after the snapshot", pipeline, () -> changes[0] > atSnapshotEnd + 300);
                writing.set(false);
                writer.join();
                assertThat(writerFailure).isEmpty();
                try (LagMonitor lag = new LagMonitor(spec, admin, SourceClock.of(source),
                        CapturePosition.of(spec, pipeline.capture()))) {
                    await("zero lag", pipeline, () -> lag.measure().zero());
                }
                assertThat(pipeline.sinkStatus().deadLettered()).as("no dead letters").isZero();
            } finally {
                writing.set(false);
                writer.join();
            }

            TreeSet<String> expectedJobs = new TreeSet<>();
            TreeSet<String> expectedFiles = new TreeSet<>();
            for (BsonDocument job : jobs.find()) {   // the oracle: the spec applied to the source, by hand
                if (!"done".equals(job.getString("status").getValue())) {
                    continue;
                }
                String id = Integer.toString(job.getInt32("_id").getValue());
                expectedJobs.add(id + "|" + job.getString("job_type").getValue() + "|"
                        + job.getDocument("meta").getString("owner").getValue() + "|" + job.getInt32("size").getValue());
                BsonArray files = job.getArray("files");
                for (int i = 0; i < files.size(); i++) {
                    BsonDocument file = files.get(i).asDocument();
                    expectedFiles.add(id + "|" + i + "|" + file.getString("name").getValue() + "|"
                            + file.getInt64("bytes").getValue());
                }
            }
            assertThat(expectedJobs).hasSizeGreaterThan(100);
            try (Connection sql = DriverManager.getConnection(postgres.jdbcUrl("refactored"))) {
                assertThat(SqlRows.of(sql, "SELECT id, kind, owner, size FROM jobs")).isEqualTo(expectedJobs);
                assertThat(SqlRows.of(sql, "SELECT job_id, ordinal, name, bytes FROM job_files")).isEqualTo(expectedFiles);
            }
            List<CollectionReport> reports = SpecVerification.relational(spec, source);
            assertThat(reports).singleElement().satisfies(r -> {
                assertThat(r.mismatches()).as("the verifier agrees: %s", r.samples()).isZero();
                assertThat(r.targetCount()).isEqualTo(expectedJobs.size());
            });

            // the operator's command: verifies the tables and keeps the result in the target's metadata table
            java.nio.file.Path specFile = work.resolve("moving-off.yaml");
            java.nio.file.Files.writeString(specFile, SPEC.formatted(sourceServer.connectionString(),
                    postgres.uri("refactored"), kafka.bootstrapServers(), work.resolve("state")));
            int exit = new picocli.CommandLine(new io.changeover.app.Changeover()).execute("verify", "--spec",
                    specFile.toString(), "--report", work.resolve("report.json").toString());
            assertThat(exit).as("changeover verify on the tables").isZero();
            try (Connection sql = DriverManager.getConnection(postgres.jdbcUrl("refactored"))) {
                assertThat(SqlRows.of(sql, "SELECT document FROM changeover_metadata WHERE id = 'verify.result'"))
                        .singleElement().satisfies(json -> assertThat(org.bson.BsonDocument.parse(json)
                                .getBoolean("passed").getValue()).isTrue());
            }

            // the retained raw topics replayed into a second PostgreSQL database end as the same tables
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
            try (Connection sql = DriverManager.getConnection(postgres.jdbcUrl("replayed"))) {
                assertThat(SqlRows.of(sql, "SELECT id, kind, owner, size FROM jobs")).isEqualTo(expectedJobs);
                assertThat(SqlRows.of(sql, "SELECT job_id, ordinal, name, bytes FROM job_files")).isEqualTo(expectedFiles);
            }
        }
    }

    private static BsonDocument job(int id, Random random) {
        List<BsonValue> files = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            files.add(new BsonDocument("name", new BsonString("f" + random.nextInt(1000) + ".pdb"))
                    .append("bytes", new org.bson.BsonInt64(random.nextInt(1 << 20))));
        }
        return new BsonDocument("_id", new BsonInt32(id))
                .append("status", new BsonString(random.nextInt(3) == 0 ? "running" : "done"))
                .append("job_type", new BsonString("t" + random.nextInt(5)))
                .append("meta", new BsonDocument("owner", new BsonString("u" + random.nextInt(20))))
                .append("size", new BsonInt32(random.nextInt(10_000)))
                .append("files", new BsonArray(files));
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
