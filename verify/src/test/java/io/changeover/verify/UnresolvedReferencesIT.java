package io.changeover.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.engine.TransformResult;
import io.changeover.transform.spec.SpecLoader;
import io.changeover.transform.step.Resolution;

/**
 * References the spec leaves unresolved ({@code remap} with {@code missing: keep}: a parent that never existed, is
 * filtered out, or was deleted keeps its old id) are not dangling, offline or online, also when the parent went away
 * between the first check and the recheck; a reference the spec resolves to a target document that is not there is.
 * The demo's shape: jobs keep completed ones, get content-derived ids and name their parents in {@code pid}.
 */
class UnresolvedReferencesIT {
    @RegisterExtension
    static final TestMongo MONGO = new TestMongo();
    private MongoDatabase source;
    private MongoDatabase target;
    private CompiledSpec spec;
    private MongoCollection<BsonDocument> sourceJobs;
    private MongoCollection<BsonDocument> targetJobs;

    private final ObjectId parent = new ObjectId();
    private final ObjectId running = new ObjectId();
    private final ObjectId child = new ObjectId();
    /** A parent purged before the migration: no source document has this id. */
    private final ObjectId purged = new ObjectId();

    @TempDir
    Path work;


    @BeforeEach
    void migration() {
        String suffix = Long.toString(System.nanoTime());
        spec = CompiledSpec.compile(SpecLoader.parse("""
                migration: unresolved
                source: {uri: "mongodb://unused", database: s%1$s}
                target: {uri: "mongodb://unused", database: t%1$s}
                kafka: {bootstrap.servers: "localhost:1"}
                collections:
                  jobs:
                    steps:
                      - keep: {status: completed}
                      - rehash-id: {fields: [name], keep-old-id: legacy_id}
                      - remap: {field: pid, from: jobs, missing: keep}
                """.formatted(suffix), "UnresolvedReferencesIT"));
        source = MONGO.client().getDatabase("s" + suffix);
        target = MONGO.client().getDatabase("t" + suffix);
        sourceJobs = source.getCollection("jobs", BsonDocument.class);
        targetJobs = target.getCollection("jobs", BsonDocument.class);
        sourceJobs.insertMany(List.of(
                job(parent, "parent", "completed"),
                job(running, "running", "running"),
                job(child, "child", "completed", parent, running, purged),
                job(new ObjectId(), "other", "completed", running)));
        migrate();
    }

    @Test
    void referencesToAPurgedOrFilteredOutParentKeepTheirOldIdsAndDoNotDangle() {
        CollectionReport offline = verify(offline());
        CollectionReport online = verify(online());

        assertThat(childPid()).contains(new BsonObjectId(running), new BsonObjectId(purged));
        assertThat(offline.mismatches()).as(offline.samples().toString()).isZero();
        assertThat(online.mismatches()).as(online.samples().toString()).isZero();
    }

    @Test
    void aParentDeletedBetweenTheFirstCheckAndTheRecheckLeavesItsOldIdWhichDoesNotDangle() {
        // the pipeline has already applied the parent's delete; the source still has the parent at the first check
        // and loses it before the recheck
        BsonValue parentTargetId = targetId(parent);
        sourceJobs.deleteOne(Filters.eq("_id", parent));
        migrate();
        sourceJobs.insertOne(job(parent, "parent", "completed"));
        assertThat(childPid()).contains(new BsonObjectId(parent)).doesNotContain(parentTargetId);

        CollectionReport online = verify(online(), () -> sourceJobs.deleteOne(Filters.eq("_id", parent)));

        assertThat(online.mismatches()).as(online.samples().toString()).isZero();
        assertThat(online.resolved()).as("the parent missing, the child different and dangling at first").isEqualTo(3);
    }

    @Test
    void aReferenceTheSpecResolvesToAMissingTargetDocumentDanglesAfterEveryRecheck() {
        BsonValue parentTargetId = targetId(parent);
        targetJobs.deleteOne(Filters.eq("_id", parentTargetId));

        CollectionReport online = verify(online());

        assertThat(online.missing()).isEqualTo(1);
        assertThat(online.dangling()).isEqualTo(1);
        assertThat(online.samples()).filteredOn(d -> d.kind() == Difference.Kind.DANGLING)
                .singleElement().satisfies(d -> {
                    assertThat(d.id()).isEqualTo(targetId(child));
                    assertThat(d.describe()).contains("at [pid]").contains(parentTargetId.asString().getValue());
                });
    }

    /** Writes the target as the pipeline would from the source as it is now: a whole-collection id map. */
    private void migrate() {
        targetJobs.drop();
        Map<BsonValue, BsonValue> newIds = new HashMap<>();
        List<BsonDocument> all = sourceJobs.find().into(new ArrayList<>());
        for (BsonDocument doc : all) {
            TransformResult r = spec.collection("jobs").apply(doc, (c, id) -> Resolution.MISSING);
            r.document().ifPresent(d -> newIds.put(doc.get("_id"), d.get("_id")));
        }
        for (BsonDocument doc : all) {
            spec.collection("jobs").apply(doc, (c, id) -> newIds.containsKey(id) ? Resolution.found(newIds.get(id))
                    : Resolution.MISSING).document().ifPresent(targetJobs::insertOne);
        }
    }

    private BsonValue targetId(ObjectId sourceId) {
        return targetJobs.find(Filters.eq("legacy_id", sourceId)).first().get("_id");
    }

    private BsonArray childPid() {
        return targetJobs.find(Filters.eq("legacy_id", child)).first().getArray("pid");
    }

    private static BsonDocument job(ObjectId id, String name, String status, ObjectId... parents) {
        BsonArray pid = new BsonArray();
        for (ObjectId p : parents) {
            pid.add(new BsonObjectId(p));
        }
        return new BsonDocument("_id", new BsonObjectId(id)).append("name", new BsonString(name))
                .append("status", new BsonString(status)).append("pid", pid);
    }

    private VerifyOptions offline() {
        return VerifyOptions.defaults().withStorage("changeover_metadata", work.resolve("offline"), 64, 1 << 16);
    }

    private VerifyOptions online() {
        return VerifyOptions.defaults().withStorage("changeover_metadata", work.resolve("online"), 64, 1 << 16)
                .withRecheck(Duration.ofMillis(200), 3);
    }

    private CollectionReport verify(VerifyOptions options) {
        return verify(options, () -> { });
    }

    /** Verifies with {@code beforeRecheck} run once, when the verifier first reads a document again. */
    private CollectionReport verify(VerifyOptions options, Runnable beforeRecheck) {
        ExpectedTarget jobs = ExpectedSpecStrategy.of(spec, source).get(0);
        return new Verifier(source, target, options, null).verify(List.of(new OnRecheck(jobs, beforeRecheck))).get(0);
    }
}
