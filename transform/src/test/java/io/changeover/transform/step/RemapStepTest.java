package io.changeover.transform.step;

import static io.changeover.transform.step.StepFixtures.doc;
import static io.changeover.transform.step.StepFixtures.map;
import static io.changeover.transform.step.StepFixtures.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;

class RemapStepTest {
    /** Ids 1 and 2 of jobs are mapped; anything else has no target. */
    private static final IdResolver IDS = (collection, id) -> {
        assertThat(collection).isEqualTo("jobs");
        return id.isInt32() && id.asInt32().getValue() <= 2
                ? Resolution.found(new BsonString("new-" + id.asInt32().getValue())) : Resolution.MISSING;
    };

    private static BsonValue remapped(String missing, String json, String field) {
        Step remap = step("remap", map("field", field, "from", "jobs", "missing", missing));
        return remap.apply(doc(json), IDS).orElseThrow().get(field.split("\\.")[0]);
    }

    @Test
    void rewritesAFieldEachArrayElementAndNestedPathsThroughArrays() {
        assertThat(remapped("keep", "{pid: 1}", "pid")).isEqualTo(new BsonString("new-1"));
        assertThat(remapped("keep", "{pids: [1, 2]}", "pids")).isEqualTo(doc("{a: ['new-1', 'new-2']}").get("a"));
        assertThat(remapped("keep", "{inputs: [{job: 2}, {job: 1}, {other: 3}]}", "inputs.job"))
                .isEqualTo(doc("{a: [{job: 'new-2'}, {job: 'new-1'}, {other: 3}]}").get("a"));
    }

    @Test
    void aMissingReferenceGetsItsPolicy() {
        assertThat(remapped("keep", "{pids: [1, 9]}", "pids")).isEqualTo(doc("{a: ['new-1', 9]}").get("a"));
        assertThat(remapped("null", "{pids: [1, 9]}", "pids")).isEqualTo(doc("{a: ['new-1', null]}").get("a"));
        assertThat(remapped("drop", "{pids: [1, 9]}", "pids")).isEqualTo(doc("{a: ['new-1']}").get("a"));
        Step drop = step("remap", map("field", "pid", "from", "jobs", "missing", "drop"));
        assertThat(drop.apply(doc("{_id: 5, pid: 9}"), IDS)).contains(doc("{_id: 5}"));
        Step dlq = step("remap", map("field", "pid", "from", "jobs", "missing", "dead-letter"));
        assertThatThrownBy(() -> dlq.apply(doc("{pid: 9}"), IDS)).hasMessageContaining("refers to jobs {\"_id\": 9}");
    }

    @Test
    void withoutAResolverTheStepSaysHowToCallIt() {
        Step remap = step("remap", map("field", "pid", "from", "jobs"));
        assertThatThrownBy(() -> remap.apply(doc("{pid: 1}"))).hasMessageContaining("apply(document, IdResolver)");
    }
}
