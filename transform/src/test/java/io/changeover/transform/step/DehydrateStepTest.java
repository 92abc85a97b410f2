package io.changeover.transform.step;

import static io.changeover.transform.step.StepFixtures.doc;
import static io.changeover.transform.step.StepFixtures.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

import io.changeover.transform.blob.BlobKeys;
import io.changeover.transform.blob.BlobReference;
import io.changeover.transform.blob.BlobUpload;

class DehydrateStepTest {
    private static BlobStep step(Map<String, Object> arguments) {
        return (BlobStep) DehydrateStep.compile(arguments);
    }

    private static BlobStep.Dehydration dehydrate(BlobStep step, BsonDocument input) {
        String before = input.toJson();
        BlobStep.Dehydration result = step.dehydrate(input);
        assertThat(input.toJson()).as("input is not mutated").isEqualTo(before);
        return result;
    }

    @Test
    void largeBinaryContentIsReplacedByAReferenceAndHandedOverForUpload() {
        byte[] content = new byte[2048];
        content[7] = 42;
        BsonDocument input = doc("{_id: 1, type: 'blast'}").append("result", new BsonBinary(content));

        BlobStep.Dehydration result = dehydrate(step(map("field", "result", "min-size", 1024, "bucket", "results")), input);

        String sha = BlobKeys.sha256(content);
        assertThat(result.document()).contains(doc("{_id: 1, type: 'blast', result: {storage_key: 'sha256/"
                + sha.substring(0, 2) + "/" + sha + "', size: {$numberLong: '2048'}, sha256: '" + sha
                + "', bucket: 'results'}}"));
        assertThat(result.uploads()).singleElement().satisfies(u -> {
            assertThat(u.content()).isEqualTo(content);
            assertThat(u.reference()).isEqualTo(new BlobReference("results", BlobKeys.key(sha), 2048, sha));
        });
    }

    @Test
    void aStringIsStoredAsItsUtf8Bytes() {
        String csv = "name,score\nnaïve,1\n".repeat(10);
        BsonDocument input = doc("{_id: 1, sub: {csv: 'x'}}");
        input.getDocument("sub").put("csv", new BsonString(csv));

        BlobStep.Dehydration result = dehydrate(step(map("field", "sub.csv", "min-size", 10, "bucket", "tables")), input);

        assertThat(result.uploads()).singleElement()
                .satisfies(u -> assertThat(u.content()).isEqualTo(csv.getBytes(StandardCharsets.UTF_8)));
        assertThat(result.document().orElseThrow().getDocument("sub").getDocument("csv").getString("sha256").getValue())
                .isEqualTo(BlobKeys.sha256(csv.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void contentBelowTheThresholdMissingNullAndReferencesStayAsTheyAre() {
        BlobStep step = step(map("field", "result", "min-size", 5, "bucket", "results"));
        for (String json : List.of("{_id: 1, result: 'abcd'}", "{_id: 1}", "{_id: 1, result: null}",
                "{_id: 1, result: {storage_key: 'k', size: 1, sha256: 's', bucket: 'results'}}")) {
            BlobStep.Dehydration result = dehydrate(step, doc(json));
            assertThat(result.document()).as(json).contains(doc(json));
            assertThat(result.uploads()).as(json).isEmpty();
        }
        assertThat(dehydrate(step, doc("{_id: 1, result: 'abcde'}")).uploads()).as("at the threshold").hasSize(1);
    }

    @Test
    void pathsGoThroughArraysAndAnArrayAtTheEndIsDehydratedElementByElement() {
        BlobStep step = step(map("field", "files.content", "min-size", 4, "bucket", "files"));

        BlobStep.Dehydration result = dehydrate(step, doc("{_id: 1, files: [{name: 'a', content: 'large a'}, "
                + "{name: 'b', content: 'b'}, {name: 'c', content: ['large c', 'large a']}, {name: 'd'}]}"));

        BsonDocument refA = BlobUpload.of("files", "large a".getBytes(StandardCharsets.UTF_8)).reference().toDocument();
        BsonDocument refC = BlobUpload.of("files", "large c".getBytes(StandardCharsets.UTF_8)).reference().toDocument();
        BsonDocument expected = doc("{_id: 1, files: [{name: 'a'}, {name: 'b', content: 'b'}, {name: 'c'}, {name: 'd'}]}");
        expected.getArray("files").get(0).asDocument().put("content", refA);
        expected.getArray("files").get(2).asDocument().put("content", new BsonArray(List.of(refC, refA)));
        assertThat(result.document()).contains(expected);
        assertThat(result.uploads()).as("content twice in a document is one upload")
                .extracting(u -> new String(u.content(), StandardCharsets.UTF_8)).containsExactly("large a", "large c");
    }

    @Test
    void theBucketIsChosenByAFieldWithADefault() {
        BlobStep step = step(map("field", "out", "min-size", 1, "bucket",
                map("field", "job.type", "values", map("blast", "blast-results", "hmmer", "hmm-results"),
                        "default", "other-results")));

        assertThat(bucketOf(step, "{_id: 1, job: {type: 'blast'}, out: 'x'}")).isEqualTo("blast-results");
        assertThat(bucketOf(step, "{_id: 2, job: {type: 'hmmer'}, out: 'x'}")).isEqualTo("hmm-results");
        assertThat(bucketOf(step, "{_id: 3, job: {type: 'psi'}, out: 'x'}")).isEqualTo("other-results");
        assertThat(bucketOf(step, "{_id: 4, out: 'x'}")).isEqualTo("other-results");
    }

    @Test
    void noBucketForADocumentIsADataError() {
        BlobStep step = step(map("field", "out", "min-size", 1, "bucket",
                map("field", "type", "values", map("blast", "blast-results"))));

        assertThatThrownBy(() -> step.dehydrate(doc("{_id: 1, type: 'psi', out: 'x'}")))
                .hasMessageContaining("no bucket for type = ");
    }

    @Test
    void theReferenceDependsOnlyOnContentAndBucket() {
        BlobStep step = step(map("field", "out", "min-size", 1, "bucket", "results"));

        BlobUpload first = dehydrate(step, doc("{_id: 1, a: 1, out: 'same'}")).uploads().get(0);
        BlobUpload second = dehydrate(step, doc("{_id: 2, b: 'other', out: 'same'}")).uploads().get(0);

        assertThat(second.reference()).isEqualTo(first.reference());
        assertThat(step.apply(doc("{_id: 1, a: 1, out: 'same'}")).orElseThrow().get("out"))
                .isEqualTo(first.reference().toDocument());
    }

    @Test
    void otherTypesAreDataErrors() {
        BlobStep step = step(map("field", "out", "min-size", 1, "bucket", "results"));

        assertThatThrownBy(() -> step.dehydrate(doc("{_id: 1, out: 42}")))
                .hasMessageContaining("expected binary or string content at 'out', got INT32");
    }

    @Test
    void badArgumentsAreRejectedWhenCompiled() {
        assertThatThrownBy(() -> DehydrateStep.compile(map("field", "out")))
                .hasMessageContaining("expected 'bucket'");
        assertThatThrownBy(() -> DehydrateStep.compile(map("field", "out", "bucket", "Bad_Bucket")))
                .hasMessageContaining("bucket name");
        assertThatThrownBy(() -> DehydrateStep.compile(map("field", "out", "bucket", "results", "min-size", -1)))
                .hasMessageContaining("'min-size', a number of bytes >= 0");
        assertThatThrownBy(() -> DehydrateStep.compile(map("field", "out", "bucket", "results", "size", 1)))
                .hasMessageContaining("unknown argument 'size'");
    }

    private static String bucketOf(BlobStep step, String json) {
        return step.dehydrate(doc(json)).uploads().get(0).reference().bucket();
    }
}
