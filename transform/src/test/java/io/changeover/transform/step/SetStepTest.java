package io.changeover.transform.step;

import static io.changeover.transform.step.StepFixtures.applied;
import static io.changeover.transform.step.StepFixtures.doc;
import static io.changeover.transform.step.StepFixtures.map;
import static io.changeover.transform.step.StepFixtures.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

class SetStepTest {
    @Test
    void setsValuesOfEveryYamlTypeAsBson() {
        Step set = step("set", map("i", 2, "l", 5_000_000_000L, "d", 1.5, "b", true, "s", "x", "n", null,
                "m", map("k", 1), "list", Arrays.asList(1, "two", null)));
        assertThat(applied(set, "{_id: 1}")).isEqualTo(doc("{_id: 1, i: {$numberInt: '2'}, l: {$numberLong: '5000000000'},"
                + " d: 1.5, b: true, s: 'x', n: null, m: {k: 1}, list: [1, 'two', null]}"));
    }

    @Test
    void createsParentsOnDottedPathsAndOverwritesInPlace() {
        Step set = step("set", map("meta.migrated", true, "status", "new"));
        assertThat(applied(set, "{_id: 1, status: 'old', x: 1}").toJson())
                .isEqualTo(doc("{_id: 1, status: 'new', x: 1, meta: {migrated: true}}").toJson());
    }

    @Test
    void keepsSiblingsOfNestedFields() {
        Step set = step("set", map("meta.v", 2));
        assertThat(applied(set, "{_id: 1, meta: {a: 1}}")).isEqualTo(doc("{_id: 1, meta: {a: 1, v: 2}}"));
    }

    @Test
    void resultDoesNotShareTheConstantWithLaterDocuments() {
        Step set = step("set", map("tags", List.of("a")));
        BsonDocument first = applied(set, "{_id: 1}");
        first.getArray("tags").add(doc("{x: 1}").get("x"));
        assertThat(applied(set, "{_id: 2}")).isEqualTo(doc("{_id: 2, tags: ['a']}"));
    }

    @Test
    void settingUnderAScalarIsADataError() {
        Step set = step("set", map("a.b", 1));
        assertThatThrownBy(() -> applied(set, "{_id: 1, a: 3}")).hasMessageContaining("cannot set 'a.b'");
    }

    @Test
    void argumentsMustBeAMapOfPaths() {
        assertThatThrownBy(() -> step("set", List.of("a"))).hasMessageContaining("expected a map of field paths");
        assertThatThrownBy(() -> step("set", map("$bad", 1))).hasMessageContaining("'$bad'");
    }
}
