package io.changeover.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.changeover.demo.sample.SampleDataset;
import io.changeover.demo.sample.SampleJob;
import io.changeover.transform.engine.CollectionTransform;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.engine.TransformResult;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.step.Resolution;

/** The demo spec applied to the sample dataset without Kafka: every step has work, and no job is a data error. */
class DemoSpecTest {
    private static final int SIZE = 3_000;
    private static final SampleDataset DATASET = new SampleDataset(42L, SIZE).largeContentUpTo(200 * 1024);
    private static final MigrationSpec SPEC = DemoSpec.load("mongodb://source", "mongodb://target", "localhost:1",
            Path.of("build-demo-spec-test"));
    private static final CollectionTransform JOBS = CompiledSpec.compile(SPEC).collection(SampleDataset.COLLECTION);
    private static final Map<BsonValue, BsonDocument> MATRICES = new HashMap<>();
    private static final Map<BsonValue, BsonValue> TARGET_IDS = new HashMap<>();
    private static final Map<Integer, TransformResult> RESULTS = new HashMap<>();

    @BeforeAll
    static void migrate() {
        for (int i = 0; i < SIZE; i++) {
            SampleJob job = DATASET.job(i);
            job.recoveredMatrix().ifPresent(m -> MATRICES.put(m.get("_id"), m));
            JOBS.targetId(job.document()).ifPresent(id -> TARGET_IDS.put(job.document().get("_id"), id));
        }
        for (int i = 0; i < SIZE; i++) {
            RESULTS.put(i, JOBS.apply(DATASET.document(i), (collection, id) -> TARGET_IDS.containsKey(id)
                    ? Resolution.found(TARGET_IDS.get(id)) : Resolution.MISSING,
                    (collection, id) -> Optional.ofNullable(MATRICES.get(id))));
        }
    }

    @Test
    void theRetiredAccountsJobsAreDroppedAndEveryMigratedJobHasItsSequenceLength() {
        assertThat(migrated()).isNotEmpty().allSatisfy(d -> {
            assertThat(d.getString("owner").getValue()).isNotEqualTo("user039");
            BsonDocument input = d.getDocument("input_data");
            assertThat(input.getInt32("length").getValue()).isEqualTo(input.getString("sequence").getValue().length());
        });
        long retiredCompleted = 0;
        for (int i = 0; i < SIZE; i++) {
            BsonDocument source = DATASET.document(i);
            if ("user039".equals(source.getString("owner").getValue())) {
                assertThat(RESULTS.get(i).document()).as("job %d of the retired account", i).isEmpty();
                retiredCompleted++;
            }
        }
        assertThat(retiredCompleted).as("the dataset has jobs of the retired account").isPositive();
    }

    @Test
    void theSideCollectionIsListedButMigratesNothing() {
        CollectionTransform side = CompiledSpec.compile(SPEC).collection(SampleDataset.MATRICES);

        assertThat(MATRICES).isNotEmpty();
        assertThat(MATRICES.values()).allSatisfy(m -> assertThat(side.apply(m).isFilteredOut()).isTrue());
        assertThat(JOBS.lookupSources()).containsExactly(SampleDataset.MATRICES);
        assertThat(JOBS.remapSources()).containsExactly(SampleDataset.COLLECTION);
    }

    @Test
    void everyMigratedJobHasAContentIdItsLegacyIdAndItsMatrixAsCsv() {
        List<BsonDocument> migrated = migrated();

        assertThat(migrated).hasSizeGreaterThan(SIZE / 2);
        assertThat(migrated).allSatisfy(d -> {
            assertThat(d.getString("_id").getValue()).matches("[0-9a-f]{64}");
            assertThat(d.getString("pssm").getValue()).startsWith("pos,A,C,");
        });
        int recovered = 0;
        for (int i = 0; i < SIZE; i++) {
            if (DATASET.hasRecoveredMatrix(i) && RESULTS.get(i).document().isPresent()) {
                recovered++;
                assertThat(RESULTS.get(i).document().get().getObjectId("legacy_id")).isEqualTo(DATASET.document(i).get("_id"));
            }
        }
        assertThat(recovered).isPositive();
    }

    @Test
    void aResubmissionGetsItsOriginalsIdSoDedupeHasWork() {
        int groups = 0;
        for (int i = 0; i < SIZE; i++) {
            int original = DATASET.originalOf(i);
            if (original != i && RESULTS.get(i).document().isPresent()) {
                groups++;
                assertThat(RESULTS.get(i).targetId()).isEqualTo(RESULTS.get(original).targetId());
            }
        }
        assertThat(groups).isPositive();
        assertThat(JOBS.dedupe()).isPresent();
    }

    @Test
    void parentReferencesBecomeTheParentsNewIdsOrKeepTheOldIdWhenTheParentHasNoTarget() {
        Set<String> kinds = new HashSet<>();
        for (BsonDocument d : migrated()) {
            for (BsonValue parent : d.getArray("pid")) {
                kinds.add(parent.isString() ? "remapped" : TARGET_IDS.containsKey(parent) ? "unresolved" : "kept");
            }
        }
        assertThat(kinds).containsExactlyInAnyOrder("remapped", "kept");
    }

    @Test
    void largeContentMovesToTheObjectStoreInABucketByType() {
        List<TransformResult> dehydrated = RESULTS.values().stream().filter(r -> !r.uploads().isEmpty()).toList();

        assertThat(dehydrated).isNotEmpty().allSatisfy(r -> {
            BsonDocument doc = r.document().orElseThrow();
            String bucket = doc.getDocument("content").getString("bucket").getValue();
            assertThat(bucket).isEqualTo(switch (doc.getString("type").getValue()) {
                case "blast" -> "blast-results";
                case "hmmer" -> "hmmer-results";
                default -> "results";
            });
        });
    }

    private static List<BsonDocument> migrated() {
        return RESULTS.values().stream().flatMap(r -> r.document().stream()).toList();
    }
}
