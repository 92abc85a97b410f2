package io.changeover.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

import io.changeover.transform.blob.FileSystemObjectStore;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.engine.TransformResult;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;
import io.changeover.transform.step.Resolution;

/**
 * The verifier with the real transform: ids rehashed, references remapped through the verifier's own id map,
 * sequences dehydrated into a filesystem object store. The migration is built here with a whole-collection id map
 * (the verifier builds its map batch by batch); each fault injected into it is found and named.
 */
class ExpectedSpecStrategyIT {
    private static final int PROTEINS = 400;
    private static final int ANNOTATIONS = 1_000;
    @RegisterExtension
    static final TestMongo MONGO = new TestMongo();
    private MongoDatabase source;
    private MongoDatabase target;
    private CompiledSpec spec;
    private FileSystemObjectStore store;

    @TempDir
    Path work;


    @BeforeEach
    void cleanMigration() {
        String suffix = Long.toString(System.nanoTime());
        MigrationSpec migration = SpecLoader.parse("""
                migration: specit
                source: {uri: "mongodb://unused", database: s%1$s}
                target: {uri: "mongodb://unused", database: t%1$s}
                kafka: {bootstrap.servers: "localhost:1"}
                collections:
                  proteins:
                    steps:
                      - rehash-id: {fields: [symbol]}
                      - dehydrate: {field: sequence, min-size: 8, bucket: sequences}
                  annotations:
                    steps:
                      - remap: {field: protein, from: proteins}
                """.formatted(suffix), "ExpectedSpecStrategyIT");
        spec = CompiledSpec.compile(migration);
        source = MONGO.client().getDatabase("s" + suffix);
        target = MONGO.client().getDatabase("t" + suffix);
        store = new FileSystemObjectStore(work.resolve("objects"));
        List<BsonDocument> proteins = new ArrayList<>();
        for (int i = 0; i < PROTEINS; i++) {
            proteins.add(new BsonDocument("_id", new BsonInt32(i)).append("symbol", new BsonString("P" + i))
                    .append("sequence", new BsonString("MKTAYIAKQR" + i)));
        }
        List<BsonDocument> annotations = new ArrayList<>();
        for (int i = 0; i < ANNOTATIONS; i++) {
            annotations.add(new BsonDocument("_id", new BsonInt32(i)).append("protein", new BsonInt32(i % PROTEINS))
                    .append("note", new BsonString("note " + i)));
        }
        source.getCollection("proteins", BsonDocument.class).insertMany(proteins);
        source.getCollection("annotations", BsonDocument.class).insertMany(annotations);
        Map<BsonValue, BsonValue> newIds = new HashMap<>();
        for (BsonDocument p : proteins) {
            TransformResult result = spec.collection("proteins").apply(p);
            result.uploads().forEach(store::putIfAbsent);
            newIds.put(p.get("_id"), result.targetId().orElseThrow());
            target.getCollection("proteins", BsonDocument.class).insertOne(result.document().orElseThrow());
        }
        for (BsonDocument a : annotations) {
            BsonDocument out = spec.collection("annotations").apply(a, (c, id) -> Resolution.found(newIds.get(id)))
                    .document().orElseThrow();
            target.getCollection("annotations", BsonDocument.class).insertOne(out);
        }
    }

    @Test
    void aCleanMigrationWithRehashedIdsRemappedReferencesAndBlobsReportsZero() {
        List<CollectionReport> reports = verify();

        assertThat(reports).extracting(CollectionReport::mismatches).containsOnly(0L);
        assertThat(reports).extracting(CollectionReport::expectedCount).containsExactly((long) PROTEINS,
                (long) ANNOTATIONS);
    }

    @Test
    void aDeletedTargetDocumentIsMissingAndTheReferencesToItDangle() {
        BsonDocument protein = target.getCollection("proteins", BsonDocument.class).find().first();
        target.getCollection("proteins").deleteOne(Filters.eq("_id", protein.get("_id")));

        List<CollectionReport> reports = verify();

        assertThat(reports.get(0).missing()).isEqualTo(1);
        assertThat(reports.get(1).dangling()).isPositive()
                .isEqualTo(target.getCollection("annotations").countDocuments(Filters.eq("protein", protein.get("_id"))));
        assertThat(reports.get(1).samples()).allSatisfy(d -> assertThat(d.describe())
                .contains("at [protein]").contains(protein.get("_id").asString().getValue()));
    }

    @Test
    void aMissingBlobAndAnAlteredBlobAreFoundAndNamed() throws Exception {
        List<BsonDocument> proteins = target.getCollection("proteins", BsonDocument.class).find().limit(2)
                .into(new ArrayList<>());
        Files.delete(objectFile(proteins.get(0)));
        Files.writeString(objectFile(proteins.get(1)), "MKTAYIAKQRaltered");

        CollectionReport report = verify().get(0);

        assertThat(report.blobMissing()).isEqualTo(1);
        assertThat(report.blobAltered()).isEqualTo(1);
        assertThat(report.samples()).extracting(Difference::kind, Difference::id).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(Difference.Kind.BLOB_MISSING, proteins.get(0).get("_id")),
                org.assertj.core.groups.Tuple.tuple(Difference.Kind.BLOB_ALTERED, proteins.get(1).get("_id")));
    }

    @Test
    void twoSourcesClaimingOneRehashedIdExpectTheFirstOwnersVersion() {
        BsonDocument second = source.getCollection("proteins", BsonDocument.class).find(Filters.eq("_id", 1)).first()
                .append("symbol", new BsonString("P0"));
        source.getCollection("proteins", BsonDocument.class).replaceOne(Filters.eq("_id", 1), second);
        TransformResult secondResult = spec.collection("proteins").apply(second);
        secondResult.uploads().forEach(store::putIfAbsent);
        BsonDocument ownedTarget = target.getCollection("proteins", BsonDocument.class)
                .find(Filters.eq("_id", secondResult.targetId().orElseThrow())).first();
        target.getCollection("proteins").deleteOne(Filters.eq("_id",
                spec.collection("proteins").apply(new BsonDocument("_id", new BsonInt32(1))
                        .append("symbol", new BsonString("P1")).append("sequence", new BsonString("MKTAYIAKQR1")))
                        .targetId().orElseThrow()));

        assertThat(verify().get(0).mismatches()).as("source 0 owns P0, source 1 conflicts: the target keeps 0's version")
                .isZero();

        target.getCollection("proteins", BsonDocument.class).replaceOne(Filters.eq("_id", ownedTarget.get("_id")),
                secondResult.document().orElseThrow());
        CollectionReport report = verify().get(0);
        assertThat(report.mismatches()).as("the later claim's version written over the owner's is a difference")
                .isEqualTo(1);
        assertThat(report.samples()).extracting(Difference::id).containsExactly(ownedTarget.get("_id"));
    }

    @Test
    void aReferenceWrittenAsAnotherNumericTypeIsExpectedRemappedAndReportedWhenItIsNot() {
        BsonDocument annotation = source.getCollection("annotations", BsonDocument.class).find(Filters.eq("_id", 7)).first()
                .append("protein", new BsonDouble(7.0));
        source.getCollection("annotations", BsonDocument.class).replaceOne(Filters.eq("_id", 7), annotation);

        assertThat(verify().get(1).mismatches()).as("7.0 names protein 7: the target's remapped reference is right")
                .isZero();

        target.getCollection("annotations", BsonDocument.class).updateOne(Filters.eq("_id", 7),
                new BsonDocument("$set", new BsonDocument("protein", new BsonDouble(7.0))));
        CollectionReport report = verify().get(1);
        assertThat(report.different()).as("a reference left as 7.0 was never remapped").isEqualTo(1);
        assertThat(report.samples()).extracting(Difference::describe).containsExactlyInAnyOrder(
                "different {\"_id\": 7} fields [protein]",
                "dangling {\"_id\": 7} at [protein]: proteins {\"_id\": 7.0}");
    }

    @Test
    void aTargetCopyOfADocumentWhoseCurrentVersionIsRejectedIsReported() {
        String suffix = Long.toString(System.nanoTime());
        CompiledSpec validated = CompiledSpec.compile(SpecLoader.parse("""
                migration: rejectit
                source: {uri: "mongodb://unused", database: s%1$s}
                target: {uri: "mongodb://unused", database: t%1$s}
                kafka: {bootstrap.servers: "localhost:1"}
                collections:
                  users:
                    steps:
                      - validate: {schema: {type: object, required: [email]}}
                """.formatted(suffix), "ExpectedSpecStrategyIT"));
        MongoDatabase users = MONGO.client().getDatabase("s" + suffix);
        MongoDatabase copies = MONGO.client().getDatabase("t" + suffix);
        BsonDocument valid = BsonDocument.parse("{_id: 1, email: 'a@example.org'}");
        users.getCollection("users", BsonDocument.class).insertOne(BsonDocument.parse("{_id: 1, name: 'no email now'}"));
        copies.getCollection("users", BsonDocument.class).insertOne(valid);
        VerifyOptions options = VerifyOptions.defaults().withStorage("changeover_metadata", work.resolve("spill-rejected"),
                64, 1 << 16);

        CollectionReport report = new Verifier(users, copies, options, store)
                .verify(ExpectedSpecStrategy.of(validated, users)).get(0);

        assertThat(report.rejected()).as("the current version fails validate").isEqualTo(1);
        assertThat(report.extra()).as("the copy of its earlier, valid version is stale, not excused").isEqualTo(1);
    }

    private Path objectFile(BsonDocument protein) {
        BsonDocument ref = protein.getDocument("sequence");
        return store.root().resolve(ref.getString("bucket").getValue())
                .resolve(ref.getString("storage_key").getValue());
    }

    private List<CollectionReport> verify() {
        VerifyOptions options = VerifyOptions.defaults().withStorage("changeover_metadata", work.resolve("spill"), 64,
                1 << 16);
        return new Verifier(source, target, options, store).verify(ExpectedSpecStrategy.of(spec, source));
    }
}
