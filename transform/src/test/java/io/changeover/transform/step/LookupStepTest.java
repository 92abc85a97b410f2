package io.changeover.transform.step;

import static io.changeover.transform.step.StepFixtures.doc;
import static io.changeover.transform.step.StepFixtures.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.junit.jupiter.api.Test;

class LookupStepTest {
    /** The side collection {@code archive}: documents by _id. */
    private static final Map<Integer, BsonDocument> ARCHIVE = Map.of(
            1, doc("{_id: 1, matrix: [[1, 2], [3, 4]], meta: {owner: 'ann'}}"),
            2, doc("{_id: 2, meta: {owner: 'bob'}}"));
    private static final SideLookup SIDES = (collection, id) -> {
        assertThat(collection).isEqualTo("archive");
        return Optional.ofNullable(ARCHIVE.get(id.asInt32().getValue()));
    };

    private static LookupStep step(Map<String, Object> arguments) {
        return (LookupStep) LookupStep.compile(arguments);
    }

    private static BsonDocument apply(LookupStep step, String json) {
        BsonDocument input = doc(json);
        String before = input.toJson();
        BsonDocument result = step.apply(input, SIDES).orElseThrow();
        assertThat(input.toJson()).as("input is not mutated").isEqualTo(before);
        return result;
    }

    @Test
    void recoversAMissingFieldFromTheSideDocumentWithTheSameId() {
        LookupStep step = step(map("from", "archive", "copy", map("result.matrix", "matrix", "owner", "meta.owner")));

        assertThat(apply(step, "{_id: 1, result: {score: 3}}"))
                .isEqualTo(doc("{_id: 1, result: {score: 3, matrix: [[1, 2], [3, 4]]}, owner: 'ann'}"));
    }

    @Test
    void whenMissingKeepsWhatIsThereAndFillsNulls() {
        LookupStep step = step(map("from", "archive", "copy", map("matrix", "matrix", "owner", "meta.owner")));

        assertThat(apply(step, "{_id: 1, matrix: 'kept', owner: null}"))
                .isEqualTo(doc("{_id: 1, matrix: 'kept', owner: 'ann'}"));
    }

    @Test
    void alwaysOverwrites() {
        LookupStep step = step(map("from", "archive", "copy", map("owner", "meta.owner"), "when", "always"));

        assertThat(apply(step, "{_id: 2, owner: 'zed'}")).isEqualTo(doc("{_id: 2, owner: 'bob'}"));
    }

    @Test
    void noSideDocumentOrNoSideFieldLeavesTheDocumentAsItIs() {
        LookupStep step = step(map("from", "archive", "copy", map("matrix", "matrix")));

        assertThat(apply(step, "{_id: 3, a: 1}")).isEqualTo(doc("{_id: 3, a: 1}"));
        assertThat(apply(step, "{_id: 2, a: 1}")).isEqualTo(doc("{_id: 2, a: 1}"));
    }

    @Test
    void withoutASideLookupItFailsLoudly() {
        LookupStep step = step(map("from", "archive", "copy", map("matrix", "matrix")));

        assertThatThrownBy(() -> step.apply(new BsonDocument("_id", new BsonInt32(1))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("looks documents up in 'archive'");
    }

    @Test
    void badArgumentsAreRejectedWhenCompiled() {
        assertThatThrownBy(() -> LookupStep.compile(map("copy", map("a", "b"))))
                .hasMessageContaining("'from', the side collection");
        assertThatThrownBy(() -> LookupStep.compile(map("from", "archive")))
                .hasMessageContaining("'copy'");
        assertThatThrownBy(() -> LookupStep.compile(map("from", "archive", "copy", map("_id", "x"))))
                .hasMessageContaining("cannot copy into _id");
        assertThatThrownBy(() -> LookupStep.compile(map("from", "archive", "copy", map("a", "b"), "when", "never")))
                .hasMessageContaining("expected missing or always");
        assertThatThrownBy(() -> LookupStep.compile(map("from", "archive", "copy", map("a", "b"), "key", "x")))
                .hasMessageContaining("unknown argument 'key'");
    }
}
