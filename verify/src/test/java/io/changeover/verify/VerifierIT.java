package io.changeover.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import io.changeover.transform.blob.BlobUpload;

/**
 * The verifier against a clean migration made by a fake transform (users kept, upper-cased; jobs referencing users
 * and carrying a blob moved to the object store), and each fault injected into it.
 */
class VerifierIT {
    private static final int USERS = 300;
    private static final int JOBS = 1_234;
    @RegisterExtension
    static final TestMongo MONGO = new TestMongo();
    private MongoDatabase source;
    private MongoDatabase target;
    private MemoryObjectStore store;

    @TempDir
    Path work;


    @BeforeEach
    void cleanMigration() {
        source = MONGO.client().getDatabase("src" + System.nanoTime());
        target = MONGO.client().getDatabase("dst" + System.nanoTime());
        store = new MemoryObjectStore();
        List<BsonDocument> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            users.add(BsonDocument.parse("{_id: " + i + ", name: 'u" + i + "', keep: " + (i % 7 != 0) + "}"));
        }
        List<BsonDocument> jobs = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            jobs.add(new BsonDocument("_id", new BsonInt32(i)).append("user", new BsonInt32(1 + i % (USERS - 1)))
                    .append("payload", new BsonBinary(("content of job " + i).getBytes())));
        }
        source.getCollection("users", BsonDocument.class).insertMany(users);
        source.getCollection("jobs", BsonDocument.class).insertMany(jobs);
        for (FakeTransform t : List.of(new FakeTransform("users", store), new FakeTransform("jobs", store))) {
            for (ExpectedTarget.Expectation e : t.of(t.name.equals("users") ? users : jobs)) {
                if (e.document() != null) {
                    target.getCollection(e.target(), BsonDocument.class).insertOne(
                            e.document().clone().append("_changeover_position", new BsonInt64(42)));
                }
            }
        }
    }

    @Test
    void aCleanMigrationReportsZero() {
        List<CollectionReport> reports = verify(options());

        assertThat(reports).extracting(CollectionReport::mismatches).containsOnly(0L);
        CollectionReport jobs = report(reports, "jobs");
        assertThat(jobs.sourceCount()).isEqualTo(JOBS);
        assertThat(jobs.expectedCount()).isEqualTo(jobs.targetCount()).isEqualTo(JOBS - jobs.rejected());
        CollectionReport users = report(reports, "users");
        assertThat(users.expectedCount()).isEqualTo(users.targetCount())
                .isEqualTo(target.getCollection("users").countDocuments());
    }

    @Test
    void eachInjectedFaultIsFoundAndNamed() {
        MongoCollection<BsonDocument> jobs = target.getCollection("jobs", BsonDocument.class);
        jobs.deleteOne(Filters.eq("_id", 10));
        jobs.updateOne(Filters.eq("_id", 22), Updates.set("state", "changed"));
        jobs.insertOne(BsonDocument.parse("{_id: 100000, user: 1}"));
        jobs.updateOne(Filters.eq("_id", 30), Updates.set("user", 99_999));
        BsonDocument missingBlob = jobs.find(Filters.eq("_id", 40)).first().getDocument("payload");
        store.objects.remove(missingBlob.getString("bucket").getValue() + "/" + missingBlob.getString("storage_key").getValue());
        BsonDocument alteredBlob = jobs.find(Filters.eq("_id", 50)).first().getDocument("payload");
        store.objects.put(alteredBlob.getString("bucket").getValue() + "/" + alteredBlob.getString("storage_key").getValue(),
                "tampered".getBytes());

        CollectionReport report = report(verify(options()), "jobs");

        assertThat(report.missing()).isEqualTo(1);
        assertThat(report.extra()).isEqualTo(1);
        assertThat(report.different()).isEqualTo(2); // the changed field and the changed reference
        assertThat(report.dangling()).isEqualTo(1);
        assertThat(report.blobMissing()).isEqualTo(1);
        assertThat(report.blobAltered()).isEqualTo(1);
        assertThat(report.samples()).extracting(Difference::describe).contains(
                "missing {\"_id\": 10}", "extra {\"_id\": 100000}", "different {\"_id\": 22} fields [state]",
                "different {\"_id\": 30} fields [user]", "dangling {\"_id\": 30} at [user]: users {\"_id\": 99999}");
        assertThat(report.samples()).filteredOn(d -> d.kind() == Difference.Kind.BLOB_MISSING)
                .extracting(Difference::id).containsExactly(new BsonInt32(40));
        assertThat(report.samples()).filteredOn(d -> d.kind() == Difference.Kind.BLOB_ALTERED)
                .extracting(Difference::id).containsExactly(new BsonInt32(50));
    }

    @Test
    void aReferenceToADeletedTargetDocumentDangles() {
        target.getCollection("users").deleteOne(Filters.eq("_id", 1));

        List<CollectionReport> reports = verify(options());

        assertThat(report(reports, "users").missing()).isEqualTo(1);
        assertThat(report(reports, "jobs").dangling())
                .isEqualTo(source.getCollection("jobs").countDocuments(Filters.eq("user", 1)));
    }

    @Test
    void partitionedAndSpilledRunsFindTheSameAsASequentialOne() {
        target.getCollection("jobs").deleteOne(Filters.eq("_id", 700));
        target.getCollection("jobs").updateOne(Filters.eq("_id", 1_000), Updates.set("user", 2));

        CollectionReport sequential = report(verify(options()), "jobs");
        CollectionReport partitioned = report(verify(options().withPartitions(4)
                .withStorage("changeover_metadata", work, 50, 4_096)), "jobs");

        assertThat(partitioned.mismatches()).isEqualTo(sequential.mismatches()).isEqualTo(2);
        assertThat(partitioned.samples()).extracting(Difference::describe)
                .containsExactlyInAnyOrderElementsOf(sequential.samples().stream().map(Difference::describe).toList());
    }

    @Test
    void aSampleIsReproducibleBySeedAndFindsFaultsInIt() {
        VerifyOptions sampled = options().withSample(0.3, 0, 7);
        CollectionReport first = report(verify(sampled), "jobs");
        CollectionReport again = report(verify(sampled), "jobs");
        assertThat(first.expectedCount()).isEqualTo(again.expectedCount()).isBetween(200L, 600L);

        for (int id = 0; id < JOBS; id++) {
            target.getCollection("jobs").updateOne(Filters.eq("_id", id), Updates.set("state", "changed"));
        }
        CollectionReport faulty = report(verify(sampled), "jobs");
        assertThat(faulty.different()).isEqualTo(first.expectedCount());
    }

    @Test
    void countsModeReportsCountsOnBothSides() {
        target.getCollection("jobs").deleteOne(Filters.eq("_id", 3));

        CollectionReport jobs = report(verify(options().withMode(VerifyOptions.Mode.COUNTS)), "jobs");

        assertThat(jobs.sourceCount()).isEqualTo(JOBS);
        assertThat(jobs.targetCount()).isEqualTo(target.getCollection("jobs").countDocuments());
    }

    @Test
    void aDifferenceFixedByThePipelineBeforeTheRecheckIsNotReported() {
        MongoCollection<BsonDocument> jobs = target.getCollection("jobs", BsonDocument.class);
        BsonDocument original = jobs.find(Filters.eq("_id", 5)).first();
        jobs.deleteOne(Filters.eq("_id", 5)); // "in flight": the pipeline writes it back before the recheck
        FakeTransform jobsTransform = new FakeTransform("jobs", null);
        jobsTransform.onRecheck = () -> jobs.insertOne(original);

        List<CollectionReport> reports = new Verifier(source, target,
                options().withRecheck(Duration.ofSeconds(1), 2), store)
                .verify(List.of(new FakeTransform("users", null), jobsTransform));

        CollectionReport report = report(reports, "jobs");
        assertThat(report.mismatches()).isZero();
        assertThat(report.resolved()).isEqualTo(1);
    }

    @Test
    void aDifferenceStillThereAfterTheRecheckIsReported() {
        target.getCollection("jobs").deleteOne(Filters.eq("_id", 5));

        CollectionReport report = report(verify(options().withRecheck(Duration.ofMillis(300), 2)), "jobs");

        assertThat(report.missing()).isEqualTo(1);
        assertThat(report.resolved()).isZero();
    }

    @Test
    void anInterruptedRunResumesFromItsCheckpoint() {
        VerifyOptions resumable = options().withStorage("changeover_metadata", work, 50, 1 << 20).withResume(true);
        target.getCollection("jobs").deleteOne(Filters.eq("_id", 7)); // after the checkpoint: compared
        target.getCollection("jobs").deleteOne(Filters.eq("_id", 3)); // before it: not compared again
        Checkpoints checkpoints = new Checkpoints(target, "changeover_metadata", resumable.runKey());
        CollectionReport usersDone = new CollectionReport("users", 0, 5, 5, 0, 0, 0, 0, 0, 0, 0, 0, List.of());
        checkpoints.save("users", null, usersDone, true);
        checkpoints.save("jobs", Verifier.idKey(new BsonInt32(500)), new CollectionReport("jobs", 0, 400, 0, 0, 0,
                0, 0, 0, 0, 0, 0, List.of()), false);

        List<CollectionReport> reports = verify(resumable);

        assertThat(report(reports, "users")).isEqualTo(usersDone);
        CollectionReport jobs = report(reports, "jobs");
        // ids are compared in the order of their key bytes: {"$numberInt": "3"} < "500" < "7"
        assertThat(jobs.samples()).extracting(Difference::describe).containsExactly("missing {\"_id\": 7}");
        assertThat(jobs.expectedCount()).isLessThan(400L + JOBS);
        assertThat(target.getCollection("changeover_metadata").countDocuments(
                Filters.regex("_id", "^verify\\.checkpoint"))).isZero();
    }

    private VerifyOptions options() {
        return VerifyOptions.defaults().withStorage("changeover_metadata", work, 100, 1 << 20);
    }

    private List<CollectionReport> verify(VerifyOptions options) {
        return new Verifier(source, target, options, store).verify(List.copyOf(transforms()));
    }

    private List<FakeTransform> transforms() {
        return List.of(new FakeTransform("users", null), new FakeTransform("jobs", null));
    }

    private static CollectionReport report(List<CollectionReport> reports, String target) {
        return reports.stream().filter(r -> r.target().equals(target)).findFirst().orElseThrow();
    }

    /**
     * users: kept when keep=true, name upper-cased; jobs: payload moved to the object store as a reference, user a
     * reference to users; a job whose user is filtered out is rejected (as a validate step would).
     */
    static final class FakeTransform implements ExpectedTarget {
        final String name;
        /** Where the migration stores blobs; null when verifying (the verifier computes references, stores nothing). */
        final MemoryObjectStore store;
        /** Runs when the verifier recomputes one document (a recheck), before it reads the target again. */
        Runnable onRecheck = () -> { };

        FakeTransform(String name, MemoryObjectStore store) {
            this.name = name;
            this.store = store;
        }

        @Override
        public String sourceCollection() {
            return name;
        }

        @Override
        public List<String> targets() {
            return List.of(name);
        }

        @Override
        public List<Expectation> of(List<BsonDocument> sources) {
            if (sources.size() == 1) {
                onRecheck.run();
            }
            return sources.stream().map(this::one).toList();
        }

        private Expectation one(BsonDocument doc) {
            if (name.equals("users")) {
                if (!doc.getBoolean("keep").getValue()) {
                    return Expectation.filteredOut(doc.get("_id"));
                }
                BsonDocument out = new BsonDocument("_id", doc.get("_id"))
                        .append("name", new BsonString(doc.getString("name").getValue().toUpperCase()));
                return new Expectation(doc.get("_id"), "users", out, null, Set.of());
            }
            if (doc.getInt32("user").getValue() % 7 == 0) {
                return Expectation.rejected(doc.get("_id"), "user is not kept");
            }
            BlobUpload upload = BlobUpload.of("payloads", doc.getBinary("payload").getData());
            if (store != null) {
                store.putIfAbsent(upload);
            }
            BsonDocument out = new BsonDocument("_id", doc.get("_id")).append("user", doc.get("user"))
                    .append("payload", upload.reference().toDocument());
            return new Expectation(doc.get("_id"), "jobs", out, null, Set.of());
        }

        @Override
        public List<ReferenceRule> references() {
            return name.equals("jobs") ? List.of(new ReferenceRule("user", "users")) : List.of();
        }
    }
}
