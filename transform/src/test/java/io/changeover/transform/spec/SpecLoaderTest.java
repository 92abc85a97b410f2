package io.changeover.transform.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.changeover.transform.step.StepRegistry;

class SpecLoaderTest {
    static final String VALID = """
            migration: demo
            source: {uri: "mongodb://localhost:27017/?replicaSet=rs0", database: legacy}
            target: {uri: "mongodb://localhost:27018/?replicaSet=rs0", database: refactored}
            kafka: {bootstrap.servers: "localhost:9092", acks: all}
            capture: {heartbeat.interval.ms: 1000}
            transform: {num.stream.threads: 1}
            sink: {}
            collections:
              jobs:
                into: tasks
                steps:
                  - map: {field: status, values: {COMPLETED: completed, done: completed}}
                  - keep: {status: completed}
                  - rename: {job_type: type, "input_data.seq": "input_data.sequence"}
                  - set: {schema_version: 2, "meta.migrated": true}
                  - unset: [legacy_flag, "input_data.tmp"]
              users:
            """;

    @Test
    void loadsAValidSpec() {
        MigrationSpec spec = SpecLoader.parse(VALID, "demo.yaml");
        assertThat(spec.name()).isEqualTo("demo");
        assertThat(spec.source()).isEqualTo(new MigrationSpec.Endpoint("mongodb://localhost:27017/?replicaSet=rs0", "legacy"));
        assertThat(spec.target().database()).isEqualTo("refactored");
        assertThat(spec.kafka()).isEqualTo(Map.of("bootstrap.servers", "localhost:9092", "acks", "all"));
        assertThat(spec.capture()).isEqualTo(Map.of("heartbeat.interval.ms", 1000));
        assertThat(spec.transform()).isEqualTo(Map.of("num.stream.threads", 1));
        assertThat(spec.sink()).isEmpty();
        assertThat(spec.collections()).extracting(CollectionSpec::source).containsExactly("jobs", "users");
        CollectionSpec jobs = spec.collection("jobs").orElseThrow();
        assertThat(jobs.into()).isEqualTo("tasks");
        assertThat(jobs.steps()).extracting(StepSpec::kind).containsExactly("map", "keep", "rename", "set", "unset");
        assertThat(jobs.steps().get(2).location()).isEqualTo("demo.yaml:14, collection 'jobs', step 3 (rename)");
        assertThat(jobs.steps().get(3).arguments()).isEqualTo(Map.of("schema_version", 2, "meta.migrated", true));
        assertThat(jobs.steps().get(4).arguments()).isEqualTo(List.of("legacy_flag", "input_data.tmp"));
        CollectionSpec users = spec.collection("users").orElseThrow();
        assertThat(users.into()).isEqualTo("users");
        assertThat(users.steps()).isEmpty();
        assertThat(spec.origin()).isEqualTo("demo.yaml");
    }

    @Test
    void checksumIsSha256OfTheFileBytes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("demo.yaml");
        Files.writeString(file, VALID);
        String expected = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(VALID.getBytes(StandardCharsets.UTF_8)));
        MigrationSpec spec = SpecLoader.load(file);
        assertThat(spec.checksum()).isEqualTo(expected);
        assertThat(spec.origin()).isEqualTo(file.toString());
        assertThat(SpecLoader.parse(VALID + "# changed\n", "x").checksum()).isNotEqualTo(expected);
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        Path file = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> SpecLoader.load(file)).isInstanceOf(SpecException.class).hasMessageContaining(file.toString());
    }

    @Test
    void requiredKeysAreNamed() {
        assertError(VALID.replace("migration: demo\n", ""), "demo.yaml:1", "'migration'");
        assertError(VALID.replace("uri: \"mongodb://localhost:27017/?replicaSet=rs0\", ", ""), "demo.yaml:2",
                "'uri'", "source MongoDB connection string");
        assertError(VALID.replace(", database: refactored", ""), "demo.yaml:3", "'database'", "target");
        assertError(VALID.replace("bootstrap.servers: \"localhost:9092\", ", ""), "demo.yaml:4", "bootstrap.servers");
        assertError(VALID.substring(0, VALID.indexOf("collections:")) + "collections: {}\n", "demo.yaml:8",
                "'collections' is empty");
        assertError(VALID.substring(0, VALID.indexOf("collections:")), "'collections'");
    }

    @Test
    void unknownKeysAreRejectedWithTheirLine() {
        assertError(VALID + "colections: {}\n", "demo.yaml:18", "unknown key 'colections' in the spec (top level)");
        assertError(VALID.replace("into: tasks", "intoo: tasks"), "demo.yaml:10", "collection 'jobs'", "unknown key 'intoo'");
        assertError(VALID.replace("database: legacy", "db: legacy"), "demo.yaml:2", "unknown key 'db'");
    }

    @Test
    void badValuesSayWhatWasExpected() {
        assertError(VALID.replace("migration: demo", "migration: de mo"), "demo.yaml:1", "[A-Za-z0-9_-]+");
        assertError(VALID.replace("mongodb://localhost:27018", "http://localhost:27018"), "demo.yaml:3", "mongodb://");
        assertError(VALID.replace("database: legacy", "database: leg.acy"), "demo.yaml:2", "database name");
        assertError(VALID.replace("{num.stream.threads: 1}", "{num.stream.threads: [1]}"), "demo.yaml:6",
                "transform.num.stream.threads", "single value");
        assertError(VALID.replace("migration: demo", "migration: demo\nmigration: again"), "demo.yaml:2", "duplicate");
        assertError("migration: [unclosed\n", "demo.yaml", "not valid YAML");
        assertError("", "demo.yaml", "empty");
    }

    @Test
    void unknownStepKindNamesFileLineCollectionAndStep() {
        assertError(VALID.replace("- keep:", "- kep:"), "demo.yaml:13, collection 'jobs', step 2 (kep)",
                "unknown step kind 'kep'", "expected one of: convert, ");
    }

    @Test
    void stepArgumentsAreValidatedAtLoadTime() {
        assertError(VALID.replace("{status: completed}", "{status: {$gtt: 1}}"),
                "demo.yaml:13, collection 'jobs', step 2 (keep)", "$gtt");
        assertError(VALID.replace("{field: status, values:", "{values:"),
                "demo.yaml:12, collection 'jobs', step 1 (map)", "'field'");
        assertError(VALID.replace("[legacy_flag, \"input_data.tmp\"]", "[_id]"),
                "demo.yaml:16, collection 'jobs', step 5 (unset)", "_id");
    }

    @Test
    void malformedStepItemsAreNamed() {
        assertError(VALID.replace("- unset: [legacy_flag, \"input_data.tmp\"]", "- unset: [x]\n        set: {a: 1}"),
                "collection 'jobs', step 5", "exactly one step kind");
        assertError(VALID.replace("- unset: [legacy_flag, \"input_data.tmp\"]", "- unset"),
                "demo.yaml:16, collection 'jobs', step 5", "expected a step");
    }

    @Test
    void routesAreLoadedWithTheirLocations() {
        MigrationSpec spec = SpecLoader.parse(VALID.replace("    into: tasks\n", """
                    routes:
                      - {into: items, when: {kind: item}}
                      - {into: blocks, when: {kind: block}, steps: [{rename: {text: body}}]}
                """), "demo.yaml");
        CollectionSpec jobs = spec.collection("jobs").orElseThrow();
        assertThat(jobs.into()).isEqualTo("items");
        assertThat(jobs.routes()).extracting(RouteSpec::into).containsExactly("items", "blocks");
        assertThat(jobs.routes().get(1).steps().get(0).location())
                .isEqualTo("demo.yaml:12, collection 'jobs', route 2 (blocks), step 1 (rename)");
    }

    @Test
    void rulesAcrossStepsAndRoutesAreCheckedAtLoadTime() {
        assertError(VALID.replace("    into: tasks\n", "    into: tasks\n    routes: [{into: a}]\n"),
                "demo.yaml:11", "both 'into' and 'routes'");
        assertError(VALID.replace("    into: tasks\n", "    routes: [{into: a, when: {n: {$gtt: 1}}}]\n"),
                "demo.yaml:10", "collection 'jobs', route 1 (a): 'when'", "$gtt");
        assertError(VALID.replace("- set: {schema_version: 2, \"meta.migrated\": true}",
                "- remap: {field: pid, from: parents}"), "demo.yaml:15, collection 'jobs', step 4 (remap)",
                "remaps from 'parents', which is not a collection of this spec");
        assertError(VALID.replace("- set: {schema_version: 2, \"meta.migrated\": true}",
                "- dedupe: {policy: merge}\n      - dedupe: {policy: keep-first}"), "collection 'jobs' has 2 dedupe steps");
        assertError(VALID.replace("- set: {schema_version: 2, \"meta.migrated\": true}",
                "- dedupe: {policy: newest}"), "demo.yaml:15, collection 'jobs', step 4 (dedupe)", "unknown dedupe policy");
    }

    @Test
    void yamlKeysStayStringsAndValuesKeepTheirTypes() {
        MigrationSpec spec = SpecLoader.parse(VALID.replace("{schema_version: 2, \"meta.migrated\": true}",
                "{yes: 1.5, 12: big, on: 10000000000}"), "demo.yaml");
        Object args = spec.collection("jobs").orElseThrow().steps().get(3).arguments();
        assertThat(args).isEqualTo(Map.of("yes", 1.5, "12", "big", "on", 10_000_000_000L));
    }

    private static void assertError(String yaml, String... fragments) {
        assertThatThrownBy(() -> SpecLoader.parse(yaml, "demo.yaml", StepRegistry.standard()))
                .isInstanceOf(SpecException.class)
                .satisfies(e -> {
                    for (String fragment : fragments) {
                        assertThat(e.getMessage()).contains(fragment);
                    }
                });
    }
}
