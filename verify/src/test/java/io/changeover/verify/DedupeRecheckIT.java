package io.changeover.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.bson.BsonDocument;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.spec.SpecLoader;

/**
 * Online rechecks with content-derived ids and {@code dedupe: keep-first} (the demo's shape): a source document that
 * joins a target id after the first check (a resubmission's original completed again, a job inserted) is found
 * through the old id the target document keeps, so the pipeline's correct document is not reported; a wrong one
 * still is.
 */
class DedupeRecheckIT {
    @RegisterExtension
    static final TestMongo MONGO = new TestMongo();
    private MongoDatabase source;
    private MongoDatabase target;
    private CompiledSpec spec;
    private MongoCollection<BsonDocument> sourceJobs;
    private MongoCollection<BsonDocument> targetJobs;

    /** The original and its resubmission: one target document, the original's when it is completed. */
    private final ObjectId original = new ObjectId();
    private final ObjectId resubmission = new ObjectId();
    private final ObjectId inserted = new ObjectId();

    @TempDir
    Path work;


    @BeforeEach
    void source() {
        String suffix = Long.toString(System.nanoTime());
        spec = CompiledSpec.compile(SpecLoader.parse("""
                migration: dedupe
                source: {uri: "mongodb://unused", database: s%1$s}
                target: {uri: "mongodb://unused", database: t%1$s}
                kafka: {bootstrap.servers: "localhost:1"}
                collections:
                  jobs:
                    steps:
                      - keep: {status: completed}
                      - rehash-id: {fields: [name], keep-old-id: legacy_id}
                      - dedupe: {policy: keep-first}
                """.formatted(suffix), "DedupeRecheckIT"));
        source = MONGO.client().getDatabase("s" + suffix);
        target = MONGO.client().getDatabase("t" + suffix);
        sourceJobs = source.getCollection("jobs", BsonDocument.class);
        targetJobs = target.getCollection("jobs", BsonDocument.class);
        sourceJobs.insertMany(List.of(job(original, "same", "completed"), job(resubmission, "same", "completed"),
                job(new ObjectId(), "solo", "completed")));
    }

    @Test
    void anOriginalCompletedAgainAfterTheFirstCheckIsNotReported() {
        migrate();
        sourceJobs.updateOne(Filters.eq("_id", original), Updates.set("status", "running"));

        CollectionReport online = verify(() -> sourceJobs.updateOne(Filters.eq("_id", original),
                Updates.set("status", "completed")));

        assertThat(online.mismatches()).as(online.samples().toString()).isZero();
        assertThat(online.resolved()).isEqualTo(1);
    }

    @Test
    void aJobInsertedAfterTheFirstCheckIsNotReportedAsExtra() {
        sourceJobs.insertOne(job(inserted, "new", "completed"));
        migrate();
        sourceJobs.deleteOne(Filters.eq("_id", inserted));

        CollectionReport online = verify(() -> sourceJobs.insertOne(job(inserted, "new", "completed")));

        assertThat(online.mismatches()).as(online.samples().toString()).isZero();
        assertThat(online.resolved()).isEqualTo(1);
    }

    @Test
    void aTargetDocumentKeepingTheWrongMemberIsReportedAfterEveryRecheck() {
        migrate();
        targetJobs.updateOne(Filters.eq("legacy_id", original), Updates.set("legacy_id", new BsonObjectId(resubmission)));

        CollectionReport online = verify(() -> { });

        assertThat(online.different()).isEqualTo(1);
        assertThat(online.samples()).extracting(Difference::fields).containsExactly(List.of("legacy_id"));
    }

    /** Writes the target as the pipeline would from the source as it is now. */
    private void migrate() {
        targetJobs.drop();
        ExpectedSpecStrategy jobs = (ExpectedSpecStrategy) ExpectedSpecStrategy.of(spec, source).get(0);
        jobs.expectedDocuments().values().forEach(targetJobs::insertOne);
    }

    private CollectionReport verify(Runnable beforeRecheck) {
        VerifyOptions online = VerifyOptions.defaults().withStorage("changeover_metadata", work, 64, 1 << 16)
                .withRecheck(Duration.ofMillis(200), 3);
        ExpectedTarget jobs = ExpectedSpecStrategy.of(spec, source).get(0);
        return new Verifier(source, target, online, null).verify(List.of(new OnRecheck(jobs, beforeRecheck))).get(0);
    }

    private static BsonDocument job(ObjectId id, String name, String status) {
        return new BsonDocument("_id", new BsonObjectId(id)).append("name", new BsonString(name))
                .append("status", new BsonString(status));
    }
}
