package io.changeover.demo.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SampleDatasetTest {
    private static final int SIZE = 2000;
    private static final SampleDataset DATASET = new SampleDataset(42L, SIZE);
    private static List<BsonDocument> jobs;

    @BeforeAll
    static void generate() {
        jobs = new ArrayList<>();
        DATASET.forEach(jobs::add);
    }

    @Test
    void sameSeedGivesTheSameDocuments() {
        SampleDataset again = new SampleDataset(42L, SIZE);

        for (int i : new int[] {0, 1, 17, 999, SIZE - 1}) {
            assertThat(bytes(again.document(i))).isEqualTo(bytes(jobs.get(i)));
        }
    }

    @Test
    void aDocumentDoesNotDependOnWhatWasGeneratedBefore() {
        assertThat(new SampleDataset(42L, SIZE).document(1234)).isEqualTo(jobs.get(1234));
    }

    @Test
    void anotherSeedGivesOtherDocumentsAndIds() {
        SampleDataset other = new SampleDataset(43L, SIZE);

        assertThat(other.document(5)).isNotEqualTo(jobs.get(5));
        assertThat(other.id(5)).isNotEqualTo(DATASET.id(5));
    }

    @Test
    void idsAreUniqueAndInIndexOrder() {
        List<ObjectId> ids = jobs.stream().map(d -> d.getObjectId("_id").getValue()).toList();

        assertThat(new HashSet<>(ids)).hasSize(SIZE);
        assertThat(ids).isSorted();
        assertThat(ids.get(7)).isEqualTo(DATASET.id(7));
    }

    @Test
    void jobsWithoutLargeContentAreOneToFourKilobytes() {
        List<Integer> sizes = jobs.stream().filter(d -> !hasLargeContent(d)).map(d -> bytes(d).length).toList();

        assertThat(sizes).allSatisfy(size -> assertThat(size).isBetween(1024, 4096));
        assertThat(sizes.stream().mapToInt(Integer::intValue).max().orElseThrow()).isGreaterThan(3000);
        assertThat(sizes.stream().mapToInt(Integer::intValue).min().orElseThrow()).isLessThan(1500);
    }

    @Test
    void aFewJobsCarryALargeBinary() {
        List<Integer> large = jobs.stream().filter(SampleDatasetTest::hasLargeContent)
                .map(d -> d.getBinary("content").getData().length).toList();

        assertThat(large).isNotEmpty().hasSizeLessThan(SIZE / 50)
                .allSatisfy(n -> assertThat(n).isBetween(SampleDataset.LARGE_CONTENT_MIN, SampleDataset.LARGE_CONTENT_MAX));
        assertThat(large.stream().mapToInt(Integer::intValue).max().orElseThrow()).isGreaterThan(1024 * 1024);
    }

    @Test
    void largeContentCanBeCappedWithoutChangingOtherFields() {
        SampleDataset capped = DATASET.largeContentUpTo(0);
        int largeIndex = indexOfFirst(SampleDatasetTest::hasLargeContent);

        assertThat(hasLargeContent(capped.document(largeIndex))).isFalse();
        assertThat(capped.document(largeIndex).getString("status")).isEqualTo(jobs.get(largeIndex).getString("status"));
    }

    @Test
    void everyStatusSpellingAppearsAndMostAreCompleted() {
        List<String> statuses = jobs.stream().map(d -> d.getString("status").getValue()).toList();

        assertThat(new HashSet<>(statuses)).containsExactlyInAnyOrderElementsOf(SampleDataset.STATUSES);
        long completed = statuses.stream().filter(s -> Set.of("completed", "COMPLETED", "done").contains(s)).count();
        assertThat(completed).isGreaterThan(SIZE / 2);
    }

    @Test
    void everyJobTypeAndEveryAliasAppears() {
        Set<String> types = new HashSet<>();
        jobs.forEach(d -> types.add(d.getString("job_type").getValue()));

        assertThat(types).containsAll(SampleDataset.JOB_TYPES).containsAll(SampleDataset.ALIASES.get("psipred"));
    }

    @Test
    void parentsAreOtherJobsOfTheDatasetOrPurgedOnesAndSomeComeAfterTheirChildren() {
        Set<BsonValue> ids = new HashSet<>();
        jobs.forEach(d -> ids.add(d.get("_id")));
        int parentsAfter = 0;
        int purged = 0;
        for (BsonDocument job : jobs) {
            for (BsonValue parent : job.getArray("pid")) {
                assertThat(parent).isNotEqualTo(job.get("_id"));
                purged += ids.contains(parent) ? 0 : 1;
                parentsAfter += parent.asObjectId().getValue().compareTo(job.getObjectId("_id").getValue()) > 0 ? 1 : 0;
            }
            assertThat(job.getArray("pid").size()).isBetween(0, 4);
        }
        assertThat(parentsAfter).isGreaterThan(SIZE / 20);
        assertThat(purged).as("references to purged jobs").isPositive().isLessThan(SIZE * 3 / 100);
        assertThat(jobs.stream().filter(d -> d.getArray("pid").isEmpty()).count()).isPositive();
    }

    @Test
    void newJobsBeyondTheDatasetOnlyPointBack() {
        Set<ObjectId> known = new HashSet<>();
        for (int i = 0; i < SIZE + 200; i++) {
            known.add(DATASET.id(i));
        }
        for (int i = SIZE; i < SIZE + 200; i++) {
            ObjectId id = DATASET.id(i);
            DATASET.document(i).getArray("pid").stream().map(p -> p.asObjectId().getValue()).filter(known::contains)
                    .forEach(p -> assertThat(p).isLessThan(id));
        }
    }

    @Test
    void pssmIsFiveToTwentyRowsOfIntsInTheJobOrInItsRecoveredMatrix() {
        for (int i = 0; i < SIZE; i++) {
            SampleJob job = DATASET.job(i);
            BsonDocument holder = job.recoveredMatrix().orElse(job.document());
            assertThat(holder.getArray("pssm").size()).isBetween(5, 20);
            BsonDocument row = holder.getArray("pssm").get(0).asDocument();
            assertThat(row.getInt32("pos").getValue()).isEqualTo(1);
            assertThat(row.keySet()).hasSize(21);
            assertThat(row.values()).allSatisfy(v -> assertThat(v.isInt32()).isTrue());
        }
        assertThat(jobs.stream().filter(d -> d.containsKey("pssm")).mapToInt(d -> d.getArray("pssm").size()).max()
                .orElseThrow()).isGreaterThan(10);
    }

    @Test
    void aboutAFifthOfJobsLostTheirMatrixToTheSideCollectionUnderTheirOwnId() {
        int recovered = 0;
        for (int i = 0; i < SIZE; i++) {
            SampleJob job = DATASET.job(i);
            assertThat(job.recoveredMatrix().isPresent()).isEqualTo(DATASET.hasRecoveredMatrix(i))
                    .isNotEqualTo(job.document().containsKey("pssm"));
            if (job.recoveredMatrix().isPresent()) {
                recovered++;
                assertThat(job.matrix().keySet()).containsExactly("_id", "pssm");
                assertThat(job.matrix().get("_id")).isEqualTo(job.document().get("_id"));
                assertThat(bytes(job.matrix()).length).isLessThan(4096);
            }
        }
        assertThat(recovered).isBetween(SIZE * 15 / 100, SIZE * 25 / 100);
    }

    @Test
    void aFewJobsAreResubmissionsRepeatingAnEarlierJobsWholePayload() {
        int resubmitted = 0;
        for (int i = 0; i < SIZE; i++) {
            int original = DATASET.originalOf(i);
            if (original == i) {
                continue;
            }
            resubmitted++;
            assertThat(original).isLessThan(i - 30).isEqualTo(DATASET.originalOf(original));
            BsonDocument copy = jobs.get(i).clone();
            copy.put("_id", jobs.get(original).get("_id"));
            assertThat(copy).isEqualTo(jobs.get(original));
            assertThat(DATASET.hasRecoveredMatrix(i)).isEqualTo(DATASET.hasRecoveredMatrix(original));
            assertThat(jobs.get(i).getArray("pid")).doesNotContain(jobs.get(i).get("_id"));
        }
        assertThat(resubmitted).isBetween(SIZE / 100, SIZE * 5 / 100);
    }

    /** The benchmark's dataset: about 1 KB a job (five pssm rows alone take 0.8 KB, so not below the asked 600 bytes). */
    @Test
    void benchSizedJobsAverageAboutOneKilobyte() {
        SampleDataset bench = new SampleDataset(42L, SIZE).largeContentUpTo(0).documentSizes(600, 1_100);
        double average = java.util.stream.IntStream.range(0, 1_000).map(i -> bytes(bench.document(i)).length)
                .average().orElseThrow();

        assertThat(average).isBetween(900.0, 1_350.0);
    }

    @Test
    void someJobsCarryLegacyFieldsAndSomeDoNot() {
        assertThat(jobs).anyMatch(d -> d.containsKey("legacy_flag")).anyMatch(d -> !d.containsKey("legacy_flag"));
        assertThat(jobs).anyMatch(d -> d.containsKey("submitted_by")).anyMatch(d -> !d.containsKey("submitted_by"));
        assertThat(jobs).allSatisfy(d -> assertThat(d.getDocument("input_data").getString("sequence").getValue())
                .matches("[ACDEFGHIKLMNPQRSTVWY]{20,}"));
    }

    @Test
    void refusesANegativeSize() {
        assertThatThrownBy(() -> new SampleDataset(1, -1)).hasMessageContaining("size");
    }

    private static int indexOfFirst(java.util.function.Predicate<BsonDocument> test) {
        for (int i = 0; i < jobs.size(); i++) {
            if (test.test(jobs.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no job matches");
    }

    private static boolean hasLargeContent(BsonDocument job) {
        return job.containsKey("content")
                && job.getBinary("content").getData().length >= SampleDataset.LARGE_CONTENT_MIN;
    }

    private static byte[] bytes(BsonDocument document) {
        RawBsonDocument raw = new RawBsonDocument(document, new BsonDocumentCodec());
        byte[] out = new byte[raw.getByteBuffer().remaining()];
        raw.getByteBuffer().asNIO().get(out);
        return out;
    }
}
