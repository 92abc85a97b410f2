package io.changeover.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

import io.changeover.control.pipeline.SpecVerification;
import io.changeover.embedded.mongo.EmbeddedMongo;
import io.changeover.transform.blob.FileSystemObjectStore;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;

/** The script baseline's two passes on a spec with content ids, dedupe, lookup and references, children first. */
class ScriptBaselineIT {
    @TempDir
    Path work;

    @Test
    void childrenMigratedBeforeTheirParentsEndWithTheParentsNewIdsAndTheVerifierAgrees() {
        try (EmbeddedMongo server = EmbeddedMongo.start(); MongoClient client = MongoClients.create(server.connectionString())) {
            MigrationSpec spec = spec(server.connectionString());
            MongoDatabase source = client.getDatabase("src");
            source.getCollection("jobs", BsonDocument.class).insertMany(List.of(
                    BsonDocument.parse("{_id: 1, name: 'child', status: 'done', pid: [3, 4, 9]}"),
                    BsonDocument.parse("{_id: 3, name: 'parent', status: 'done', pid: []}"),
                    BsonDocument.parse("{_id: 4, name: 'unfinished', status: 'running', pid: []}"),
                    BsonDocument.parse("{_id: 5, name: 'child', status: 'done', pid: [3], retry: true}")));
            source.getCollection("notes", BsonDocument.class).insertOne(BsonDocument.parse("{_id: 3, text: 'recovered'}"));
            MongoCollection<BsonDocument> target = client.getDatabase("dst").getCollection("jobs", BsonDocument.class);

            long read = ScriptBaseline.migrate(CompiledSpec.compile(spec), "jobs", source, target,
                    new FileSystemObjectStore(work.resolve("objects")));

            assertThat(read).isEqualTo(4);
            assertThat(target.countDocuments()).isEqualTo(2);
            BsonDocument parent = target.find(Filters.eq("name", "parent")).first();
            BsonDocument child = target.find(Filters.eq("name", "child")).first();
            assertThat(parent.getString("note").getValue()).isEqualTo("recovered");
            assertThat(child.get("legacy_id")).isEqualTo(new BsonInt32(1)); // keep-first: _id 1 before its resubmission 5
            assertThat(child.getArray("pid")).isEqualTo(new BsonArray(List.of(parent.get("_id"), new BsonInt32(4), new BsonInt32(9))));
            assertThat(SpecVerification.mismatches(SpecVerification.run(spec, client, client, false))).isZero();
        }
    }

    @Test
    void refusesReferencesToAnotherCollection() {
        MigrationSpec spec = SpecLoader.parse("""
                migration: script
                source: {uri: "mongodb://unused", database: src}
                target: {uri: "mongodb://unused", database: dst}
                kafka: {bootstrap.servers: "unused:9092"}
                collections:
                  jobs: {steps: [{remap: {field: owner, from: users}}]}
                  users: {steps: []}
                """, "script.yaml");

        assertThatThrownBy(() -> ScriptBaseline.migrate(CompiledSpec.compile(spec), "jobs", null, null, null))
                .hasMessageContaining("users");
    }

    private static MigrationSpec spec(String uri) {
        return SpecLoader.parse("""
                migration: script
                source: {uri: "%1$s", database: src}
                target: {uri: "%1$s", database: dst}
                kafka: {bootstrap.servers: "unused:9092"}
                collections:
                  jobs:
                    steps:
                      - keep: {status: done}
                      - lookup: {from: notes, copy: {note: text}}
                      - rehash-id: {fields: [name], keep-old-id: legacy_id}
                      - dedupe: {policy: keep-first}
                      - remap: {field: pid, from: jobs, missing: keep}
                  notes:
                    steps: [{keep: {_id: {$exists: false}}}]
                """.formatted(uri), "script.yaml");
    }
}
