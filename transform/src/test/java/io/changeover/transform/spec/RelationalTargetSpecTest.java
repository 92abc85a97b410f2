package io.changeover.transform.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class RelationalTargetSpecTest {
    private static final String SPEC = """
            migration: moving-off
            source: {uri: "mongodb://localhost:27017/?replicaSet=rs0", database: legacy}
            target:
              uri: "postgresql://changeover:secret@127.0.0.1:5432/refactored?sslmode=disable"
              tables:
            %s
            kafka: {bootstrap.servers: "localhost:9092"}
            collections:
              jobs:
            """;
    private static final String JOBS = """
                jobs:
                  key: {column: id, type: text}
                  columns:
                    type: {type: text}
                    created_at: {field: created, type: timestamptz}
                    length: {field: "input.length", type: INTEGER}
                  children:
                    job_files:
                      array: files
                      parent-key: job_id
                      columns:
                        name: {type: text}
                        size: {type: bigint}
                  indexes: [[type], [type, created_at]]
            """;

    @Test
    void aPostgresTargetDeclaresATablePerCollectionWithChildTables() {
        MigrationSpec spec = SpecLoader.parse(SPEC.formatted(JOBS), "pg.yaml");
        assertThat(spec.target().isRelational()).isTrue();
        assertThat(spec.target().database()).as("from the URI's path").isEqualTo("refactored");
        assertThat(spec.target().toString()).doesNotContain("secret");
        TableSpec jobs = spec.target().relational().table("jobs").orElseThrow();
        assertThat(jobs.table()).isEqualTo("jobs");
        assertThat(jobs.key()).isEqualTo(new ColumnSpec("id", "_id", "text"));
        assertThat(jobs.columns()).containsExactly(new ColumnSpec("type", "type", "text"),
                new ColumnSpec("created_at", "created", "timestamptz"), new ColumnSpec("length", "input.length", "integer"));
        assertThat(jobs.children()).containsExactly(new TableSpec.ChildTableSpec("job_files", "files", "job_id", "ordinal",
                List.of(new ColumnSpec("name", "name", "text"), new ColumnSpec("size", "size", "bigint"))));
        assertThat(jobs.indexes()).containsExactly(List.of("type"), List.of("type", "created_at"));
        assertThat(SpecLoader.parse(VALID_MONGO, "m.yaml").target().isRelational()).isFalse();
    }

    @Test
    void mistakesAreNamedWithTheirPlaceInTheSpec() {
        assertThatThrownBy(() -> SpecLoader.parse(SPEC.formatted(JOBS.replace("type: bigint", "type: varchar(3)")), "pg.yaml"))
                .isInstanceOf(SpecException.class).hasMessageContaining("pg.yaml:")
                .hasMessageContaining("'varchar(3)' is not a supported column type");
        assertThatThrownBy(() -> SpecLoader.parse(SPEC.formatted(JOBS.replace("jobs:\n      key", "tasks:\n      key")),
                "pg.yaml")).isInstanceOf(SpecException.class)
                .hasMessageContaining("target collection 'jobs' has no table in 'target.tables'");
        assertThatThrownBy(() -> SpecLoader.parse(SPEC.formatted(JOBS.replace("[type, created_at]", "[type, owner]")),
                "pg.yaml")).isInstanceOf(SpecException.class)
                .hasMessageContaining("index column 'owner' is not a column of 'target.tables.jobs'");
        assertThatThrownBy(() -> SpecLoader.parse(SPEC.formatted(JOBS.replace("name: {type: text}", "job_id: {type: text}")),
                "pg.yaml")).isInstanceOf(SpecException.class).hasMessageContaining("column 'job_id'");
        assertThatThrownBy(() -> SpecLoader.parse(SPEC.formatted(JOBS).replace("/refactored?", "/?"), "pg.yaml"))
                .isInstanceOf(SpecException.class).hasMessageContaining("names no database")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> SpecLoader.parse(SPEC.formatted(JOBS.replace("key: {column: id, type: text}", "")),
                "pg.yaml")).isInstanceOf(SpecException.class).hasMessageContaining("missing required key 'key'");
        assertThatThrownBy(() -> SpecLoader.parse(SPEC.formatted(JOBS.replace("{column: id, type: text}",
                "{column: id, type: jsonb}")), "pg.yaml")).isInstanceOf(SpecException.class)
                .hasMessageContaining("cannot hold a document's _id");
        assertThatThrownBy(() -> SpecLoader.parse(SPEC.formatted(JOBS.replace("created_at:", "Created-At:")), "pg.yaml"))
                .isInstanceOf(SpecException.class).hasMessageContaining("not a plain SQL identifier");
    }

    @Test
    void foreignKeysNameADeclaredColumnAndAnotherCollectionsTableOfTheKeysType() {
        String spec = """
                migration: registry
                source: {uri: "mongodb://localhost:27017/?replicaSet=rs0", database: legacy}
                target:
                  uri: "postgresql://127.0.0.1:5432/refactored"
                  tables:
                    datasets:
                      key: {column: id, type: uuid}
                    files:
                      key: {column: id, type: uuid}
                      columns:
                        dataset_id: {type: uuid}
                        owner: {type: text}
                      references: {dataset_id: {collection: datasets, on-delete: CASCADE}}
                kafka: {bootstrap.servers: "localhost:9092"}
                collections:
                  datasets:
                  files:
                """;
        TableSpec files = SpecLoader.parse(spec, "fk.yaml").target().relational().table("files").orElseThrow();
        assertThat(files.references()).containsExactly(new ForeignKeySpec("dataset_id", "datasets", "cascade"));
        assertThat(SpecLoader.parse(spec.replace("{collection: datasets, on-delete: CASCADE}", "datasets"), "fk.yaml")
                .target().relational().table("files").orElseThrow().references())
                .containsExactly(new ForeignKeySpec("dataset_id", "datasets", "no action"));
        assertThatThrownBy(() -> SpecLoader.parse(spec.replace("{dataset_id: {", "{set_id: {"), "fk.yaml"))
                .isInstanceOf(SpecException.class).hasMessageContaining("fk.yaml:")
                .hasMessageContaining("'set_id' is not a column of 'target.tables.files'");
        assertThatThrownBy(() -> SpecLoader.parse(spec.replace("collection: datasets,", "collection: sets,"), "fk.yaml"))
                .isInstanceOf(SpecException.class).hasMessageContaining("names collection 'sets', which has no table");
        assertThatThrownBy(() -> SpecLoader.parse(spec.replace("{dataset_id: {", "{owner: {"), "fk.yaml"))
                .isInstanceOf(SpecException.class).hasMessageContaining("column 'owner' is text but the key of 'datasets' is uuid");
        assertThatThrownBy(() -> SpecLoader.parse(spec.replace("CASCADE", "explode"), "fk.yaml"))
                .isInstanceOf(SpecException.class).hasMessageContaining("on-delete 'explode'");
    }

    @Test
    void aPostgresSourceIsADatabaseWhoseTablesAreTheCollections() {
        String spec = """
                migration: registry
                source: {uri: "postgresql://changeover:secret@127.0.0.1:5432/registry"}
                target: {uri: "mongodb://localhost:27017/?replicaSet=rs0", database: refactored}
                kafka: {bootstrap.servers: "localhost:9092"}
                collections:
                  datasets:
                  archive.files:
                """;
        MigrationSpec parsed = SpecLoader.parse(spec, "registry.yaml");
        assertThat(parsed.source().isPostgres()).isTrue();
        assertThat(parsed.source().isRelational()).as("a source has no target tables").isFalse();
        assertThat(parsed.source().database()).isEqualTo("registry");
        assertThat(parsed.collections()).extracting(CollectionSpec::source).containsExactly("datasets", "archive.files");
        assertThat(parsed.source().toString()).doesNotContain("secret");
        assertThatThrownBy(() -> SpecLoader.parse(spec.replace("/registry\"}", "/registry\", tables: {}}"),
                "registry.yaml")).isInstanceOf(SpecException.class).hasMessageContaining("registry.yaml:")
                .hasMessageContaining("tables");
        assertThatThrownBy(() -> SpecLoader.parse(spec.replace("/registry\"}", "/\"}"), "registry.yaml"))
                .isInstanceOf(SpecException.class).hasMessageContaining("source.uri").hasMessageContaining("names no database");
    }

    private static final String VALID_MONGO = SpecLoaderTest.VALID;
}
