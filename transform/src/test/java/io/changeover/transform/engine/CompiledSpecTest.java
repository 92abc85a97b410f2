package io.changeover.transform.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.junit.jupiter.api.Test;

import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;

class CompiledSpecTest {
    private static final String SPEC = """
            migration: demo
            source: {uri: "mongodb://localhost:27017", database: legacy}
            target: {uri: "mongodb://localhost:27018", database: refactored}
            kafka: {bootstrap.servers: "localhost:9092"}
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
                steps:
                  - rename: {name: "profile.name"}
            """;
    private final CompiledSpec compiled = CompiledSpec.compile(SpecLoader.parse(SPEC, "demo.yaml"));

    @Test
    void appliesTheStepsInOrder() {
        BsonDocument source = BsonDocument.parse("{_id: {$oid: '65f0a0000000000000000001'}, status: 'done', job_type: 'etl',"
                + " legacy_flag: true, input_data: {seq: 3, tmp: 'x'}}");
        TransformResult result = compiled.collection("jobs").apply(source);
        assertThat(result.isFilteredOut()).isFalse();
        assertThat(result.document()).contains(BsonDocument.parse("{_id: {$oid: '65f0a0000000000000000001'},"
                + " status: 'completed', input_data: {sequence: 3}, type: 'etl', schema_version: 2, meta: {migrated: true}}"));
        assertThat(result.targetId()).contains(source.get("_id"));
        assertThat(compiled.collection("jobs").target()).isEqualTo("tasks");
    }

    @Test
    void aDocumentThatDoesNotMatchIsFilteredOutByTheKeepStep() {
        TransformResult result = compiled.collection("jobs").apply(BsonDocument.parse("{_id: 1, status: 'running'}"));
        assertThat(result.isFilteredOut()).isTrue();
        assertThat(result.document()).isEmpty();
        assertThat(result.filteredBy()).contains("step 2 (keep)");
    }

    @Test
    void theResultSharesNothingWithTheInput() {
        BsonDocument source = BsonDocument.parse("{_id: 1, status: 'done', input_data: {seq: 3, other: {a: 1}}}");
        String before = source.toJson();
        BsonDocument target = compiled.collection("jobs").apply(source).document().orElseThrow();
        target.getDocument("input_data").getDocument("other").put("a", new BsonInt32(99));
        assertThat(source.toJson()).isEqualTo(before);
    }

    @Test
    void aFailingStepIsNamedWithItsCollection() {
        BsonDocument source = BsonDocument.parse("{_id: 1, name: 'x', profile: 'not a document'}");
        assertThatThrownBy(() -> compiled.collection("users").apply(source))
                .isInstanceOf(TransformException.class)
                .hasMessageContaining("collection 'users'")
                .hasMessageContaining("step 1 (rename)")
                .satisfies(e -> assertThat(((TransformException) e).step()).isEqualTo("step 1 (rename)"));
    }

    @Test
    void aTargetWithoutIdIsADataError() {
        assertThatThrownBy(() -> compiled.collection("users").apply(BsonDocument.parse("{name: 'x'}")))
                .isInstanceOf(TransformException.class).hasMessageContaining("no _id");
    }

    @Test
    void unknownCollectionsAreNamed() {
        assertThatThrownBy(() -> compiled.collection("orders")).hasMessageContaining("'orders'").hasMessageContaining("jobs, users");
        assertThat(compiled.find("orders")).isEmpty();
        assertThat(compiled.collections()).extracting(CollectionTransform::source).containsExactly("jobs", "users");
    }

    @Test
    void compilesSpecsBuiltInCode() {
        MigrationSpec spec = SpecLoader.parse(SPEC, "demo.yaml");
        assertThat(CompiledSpec.compile(spec).spec()).isSameAs(spec);
    }
}
