package io.changeover.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

import io.changeover.embedded.mongo.EmbeddedMongo;

/** migrate, dry run, checksum refusal, repair and baseline on an in-JVM MongoDB. */
class SchemaMigratorIT {
    private static final String V1 = """
            collections:
              jobs:
                steps:
                  - map: {field: status, values: {COMPLETED: completed, done: completed}}
            """;
    private static final String V2 = """
            collections:
              jobs:
                steps:
                  - keep: {status: completed}
                  - rename: {job_type: type}
            """;

    @TempDir
    Path dir;

    private EmbeddedMongo server;
    private MongoClient client;
    private MongoDatabase db;
    private MongoCollection<BsonDocument> jobs;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        server = EmbeddedMongo.start();
        client = MongoClients.create(server.connectionString());
        db = client.getDatabase("app");
        jobs = db.getCollection("jobs", BsonDocument.class);
        Files.writeString(dir.resolve("V1__normalize_status.yaml"), V1);
        Files.writeString(dir.resolve("V2__completed_only.yaml"), V2);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private SchemaMigrator migrator() {
        return new SchemaMigrator(db, server.connectionString(), "changeover_metadata", "changeover test",
                new PrintStream(output, true, StandardCharsets.UTF_8));
    }

    private void load() {
        jobs.insertOne(BsonDocument.parse("{_id: 1, status: 'COMPLETED', job_type: 'a'}"));
        jobs.insertOne(BsonDocument.parse("{_id: 2, status: 'done', job_type: 'b'}"));
        jobs.insertOne(BsonDocument.parse("{_id: 3, status: 'running', job_type: 'c'}"));
        jobs.insertOne(BsonDocument.parse("{_id: 4, status: 'completed', job_type: 'd'}"));
    }

    @Test
    void dataWithoutMetadataIsRefusedUntilBaselined() {
        load();
        assertThatThrownBy(() -> migrator().migrate(SchemaMigrationDirectory.load(dir), false))
                .hasMessageContaining("has data (jobs) but no schema metadata: adopt it explicitly with `changeover baseline --version V`");
        assertThat(jobs.countDocuments()).isEqualTo(4);

        migrator().baseline(new SchemaVersion("1"));
        List<List<StepCounts>> steps = migrator().migrate(SchemaMigrationDirectory.load(dir), false);
        assertThat(steps).hasSize(1);
        assertThat(steps.get(0).get(0)).isEqualTo(new StepCounts("jobs", 4, 1, 3, 0));
        assertThat(jobs.find().into(new java.util.ArrayList<>())).containsExactly(BsonDocument.parse("{_id: 4, status: 'completed', type: 'd'}"));
        assertThat(migrator().history().current()).contains(new SchemaVersion("2"));
        assertThatThrownBy(() -> migrator().baseline(new SchemaVersion("3"))).hasMessageContaining("already has schema metadata (version 2)");
    }

    @Test
    void dryRunCountsPerStepAndWritesNothing() {
        migrator().baseline(new SchemaVersion("0"));
        load();
        List<List<StepCounts>> steps = migrator().migrate(SchemaMigrationDirectory.load(dir), true);
        assertThat(steps.get(0).get(0)).isEqualTo(new StepCounts("jobs", 4, 2, 0, 0));
        assertThat(steps.get(1).get(0)).isEqualTo(new StepCounts("jobs", 4, 1, 3, 0));
        assertThat(jobs.countDocuments()).isEqualTo(4);
        assertThat(jobs.find(Filters.eq("_id", 1)).first().getString("status").getValue()).isEqualTo("COMPLETED");
        assertThat(migrator().history().current()).contains(new SchemaVersion("0"));
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("V1 normalize_status: would change 2 document(s)")
                .contains("V2 completed_only: would change 4 document(s)");
    }

    @Test
    void newDatabaseGetsEveryMigrationInOrderRecordedWithChecksums() throws Exception {
        migrator().migrate(SchemaMigrationDirectory.load(dir), false);
        load();
        assertThat(migrator().history().current()).contains(new SchemaVersion("2"));
        List<SchemaHistory.Applied> applied = migrator().history().applied();
        assertThat(applied).extracting(SchemaHistory.Applied::id).containsExactly("migration:normalize_status:1", "migration:completed_only:2");
        assertThat(applied.get(0).checksum()).isEqualTo(SchemaMigrationDirectory.load(dir).get(0).checksum());
        BsonDocument record = db.getCollection("changeover_metadata", BsonDocument.class)
                .find(Filters.eq("_id", "migration:normalize_status:1")).first();
        assertThat(record.getString("toolVersion").getValue()).isEqualTo("changeover test");
        assertThat(record.isDateTime("appliedAt")).isTrue();

        Files.writeString(dir.resolve("V3__set_schema.yaml"), "collections:\n  jobs:\n    steps:\n      - set: {schema_version: 3}\n");
        migrator().migrate(SchemaMigrationDirectory.load(dir), false);
        assertThat(jobs.find().into(new java.util.ArrayList<>())).allMatch(d -> d.getInt32("schema_version").getValue() == 3);
        assertThat(migrator().history().current()).contains(new SchemaVersion("3"));
    }

    @Test
    void aChangedAppliedMigrationIsRefusedUntilRepaired() throws Exception {
        migrator().migrate(SchemaMigrationDirectory.load(dir), false);
        Files.writeString(dir.resolve("V1__normalize_status.yaml"), V1 + "# also Done\n");
        Files.writeString(dir.resolve("V3__set_schema.yaml"), "collections:\n  jobs:\n    steps:\n      - set: {schema_version: 3}\n");
        assertThatThrownBy(() -> migrator().migrate(SchemaMigrationDirectory.load(dir), false))
                .hasMessageContaining("V1__normalize_status.yaml changed after it was applied")
                .hasMessageContaining("`changeover repair`");
        assertThat(migrator().history().current()).contains(new SchemaVersion("2"));

        assertThat(migrator().repair(SchemaMigrationDirectory.load(dir))).isEqualTo(1);
        migrator().migrate(SchemaMigrationDirectory.load(dir), false);
        assertThat(migrator().history().current()).contains(new SchemaVersion("3"));
        assertThat(migrator().repair(SchemaMigrationDirectory.load(dir))).isZero();
    }
}
