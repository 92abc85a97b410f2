package io.changeover.control.cutover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

import io.changeover.embedded.mongo.EmbeddedMongo;
import io.changeover.transform.engine.CollectionTransform;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.spec.SpecLoader;
import io.changeover.transform.step.Resolution;

/**
 * The cutover's changed-documents verification on a spec that gives documents content-derived ids, dedupes them,
 * rewrites references and looks side documents up: a target the pipeline kept up to date passes, and each kind of
 * stale target document the changes should have replaced is found.
 */
class ChangedVerificationIT {
    private static final CompiledSpec SPEC = CompiledSpec.compile(SpecLoader.parse("""
            migration: changed
            source: {uri: "mongodb://unused", database: src}
            target: {uri: "mongodb://unused", database: dst}
            kafka: {bootstrap.servers: "unused:9092"}
            collections:
              jobs:
                steps:
                  - lookup: {from: notes, copy: {note: text}}
                  - rehash-id: {fields: [name], keep-old-id: legacy_id}
                  - dedupe: {policy: keep-first}
                  - remap: {field: pid, from: jobs, missing: keep}
                  - validate: {schema: {required: [name], properties: {name: {type: string}}}}
              notes:
                steps: [{keep: {_id: {$exists: false}}}]
            """, "changed.yaml"));
    private static EmbeddedMongo server;
    private static MongoClient client;
    private MongoDatabase source;
    private MongoDatabase target;
    private MongoCollection<BsonDocument> jobs;
    private MongoCollection<BsonDocument> notes;

    @BeforeAll
    static void startServer() {
        server = EmbeddedMongo.start();
        client = MongoClients.create(server.connectionString());
    }

    @AfterAll
    static void stopServer() {
        client.close();
        server.close();
    }

    /** Job 1 (x) and its resubmission 3 (x) refer to job 2 (y), whose matrix note is in the side collection. */
    @BeforeEach
    void migrated() {
        source = client.getDatabase("src");
        target = client.getDatabase("dst");
        source.drop();
        target.drop();
        jobs = source.getCollection("jobs", BsonDocument.class);
        notes = source.getCollection("notes", BsonDocument.class);
        jobs.insertMany(List.of(BsonDocument.parse("{_id: 1, name: 'x', pid: [2]}"), BsonDocument.parse("{_id: 2, name: 'y'}"),
                BsonDocument.parse("{_id: 3, name: 'x', pid: [2], retry: true}")));
        notes.insertOne(BsonDocument.parse("{_id: 2, text: 'recovered'}"));
        writeTargetAsThePipelineWould();
    }

    @Test
    void aTargetKeptUpToDatePasses() {
        ChangedVerification.Result result = verify(Map.of("jobs", Set.of(id(1), id(2), id(3)), "notes", Set.of(id(2))));

        assertThat(result.mismatches()).as(String.join("; ", result.samples())).isZero();
        assertThat(result.checked()).isEqualTo(4); // three jobs and the side document (filtered out: not in the target)
        assertThat(result.affected()).isZero();
        assertThat(target.getCollection("jobs").countDocuments()).isEqualTo(2);
    }

    @Test
    void aChangedPayloadsNewIdItsStaleOldCopyAndItsReferrersAreFound() {
        jobs.updateOne(Filters.eq("_id", 2), new BsonDocument("$set", BsonDocument.parse("{name: 'z'}")));

        ChangedVerification.Result result = verify(Map.of("jobs", Set.of(id(2))));

        assertThat(result.samples()).anySatisfy(s -> assertThat(s).contains(": missing"))
                .anySatisfy(s -> assertThat(s).contains(": extra"))
                .anySatisfy(s -> assertThat(s).contains(": different"));
        assertThat(result.mismatches()).isEqualTo(3); // z missing, y extra, the x group still points at y
        assertThat(result.affected()).isEqualTo(2); // jobs 1 and 3 refer to job 2
    }

    @Test
    void whenTheFirstOfADedupeGroupIsDeletedTheGroupMustHoldTheNextOne() {
        jobs.deleteOne(Filters.eq("_id", 1));

        ChangedVerification.Result result = verify(Map.of("jobs", Set.of(id(1))));

        assertThat(result.mismatches()).isEqualTo(1);
        assertThat(result.samples().get(0)).contains(": different");
        writeTargetAsThePipelineWould();
        assertThat(verify(Map.of("jobs", Set.of(id(1)))).mismatches()).isZero();
    }

    @Test
    void aChangedSideDocumentChecksTheJobThatLooksItUp() {
        notes.updateOne(Filters.eq("_id", 2), new BsonDocument("$set", BsonDocument.parse("{text: 'corrected'}")));

        ChangedVerification.Result result = verify(Map.of("notes", Set.of(id(2))));

        assertThat(result.checked()).isEqualTo(1); // the side document (filtered out: not in the target)
        assertThat(result.affected()).isEqualTo(1); // job 2, which looks it up
        assertThat(result.mismatches()).isEqualTo(1);
        assertThat(result.samples().get(0)).contains(": different");
    }

    @Test
    void aRejectedDocumentIsADeadLetterNotAMismatch() {
        jobs.updateOne(Filters.eq("_id", 3), new BsonDocument("$set", new BsonDocument("name", new BsonInt32(5))));

        ChangedVerification.Result result = verify(Map.of("jobs", Set.of(id(3))));

        assertThat(result.deadLetters()).isEqualTo(1);
        assertThat(result.mismatches()).isZero();
    }

    private ChangedVerification.Result verify(Map<String, Set<BsonValue>> changed) {
        return ChangedVerification.verify(SPEC, source, target, changed);
    }

    /** The converged target, computed here from the source by hand: ids by targetId, first of a group kept. */
    private void writeTargetAsThePipelineWould() {
        CollectionTransform t = SPEC.collection("jobs");
        Map<BsonValue, BsonValue> ids = new HashMap<>();
        jobs.find().forEach(d -> t.targetId(d).ifPresent(id -> ids.put(d.get("_id"), id)));
        MongoCollection<BsonDocument> out = target.getCollection("jobs", BsonDocument.class);
        out.deleteMany(new BsonDocument());
        jobs.find().sort(new BsonDocument("_id", new BsonInt32(1))).forEach(d -> {
            BsonDocument doc = t.apply(d, (c, ref) -> ids.containsKey(ref) ? Resolution.found(ids.get(ref)) : Resolution.MISSING,
                    (c, side) -> Optional.ofNullable(notes.find(Filters.eq("_id", side)).first())).document().orElseThrow();
            if (out.find(Filters.eq("_id", doc.get("_id"))).first() == null) {
                out.insertOne(doc);
            }
        });
    }

    private static BsonValue id(int n) {
        return new BsonInt32(n);
    }
}
