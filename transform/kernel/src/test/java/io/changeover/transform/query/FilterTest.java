package io.changeover.transform.query;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

class FilterTest {
    private static boolean matches(String filter, String document) {
        return Filter.parse(filter).matches(BsonDocument.parse(document));
    }

    @Test
    void implicitEqualityMatchesOnlyEqualValues() {
        assertThat(matches("{status: 'done'}", "{status: 'done'}")).isTrue();
        assertThat(matches("{status: 'done'}", "{status: 'DONE'}")).isFalse();
        assertThat(matches("{status: 'done'}", "{other: 'done'}")).isFalse();
    }

    @Test
    void numbersOfEveryTypeCompareByValue() {
        String doc = "{i: {$numberInt: '1'}, l: {$numberLong: '1'}, d: 1.0, m: {$numberDecimal: '1.00'}}";
        for (String field : new String[] {"i", "l", "d", "m"}) {
            assertThat(matches("{" + field + ": {$numberLong: '1'}}", doc)).as(field).isTrue();
            assertThat(matches("{" + field + ": {$numberDecimal: '1'}}", doc)).as(field).isTrue();
            assertThat(matches("{" + field + ": 1.5}", doc)).as(field).isFalse();
            assertThat(matches("{" + field + ": {$gt: 0.5, $lt: {$numberLong: '2'}}}", doc)).as(field).isTrue();
        }
    }

    @Test
    void largeLongsCompareExactly() {
        String doc = "{n: {$numberLong: '9007199254740993'}}";
        assertThat(matches("{n: {$gt: {$numberLong: '9007199254740992'}}}", doc)).isTrue();
        assertThat(matches("{n: {$gt: 9007199254740992.0}}", doc)).isTrue();
        assertThat(matches("{n: {$numberLong: '9007199254740992'}}", doc)).isFalse();
    }

    @Test
    void rangeOperatorsDoNotMatchAcrossTypes() {
        assertThat(matches("{n: {$gt: 5}}", "{n: '9'}")).isFalse();
        assertThat(matches("{n: {$lt: 'z'}}", "{n: 1}")).isFalse();
        assertThat(matches("{s: {$gte: 'b'}}", "{s: 'c'}")).isTrue();
        assertThat(matches("{s: {$lte: 'b'}}", "{s: 'c'}")).isFalse();
    }

    @Test
    void datesCompareInTime() {
        String doc = "{at: {$date: '2024-05-01T00:00:00Z'}}";
        assertThat(matches("{at: {$gte: {$date: '2024-01-01T00:00:00Z'}}}", doc)).isTrue();
        assertThat(matches("{at: {$lt: {$date: '2024-01-01T00:00:00Z'}}}", doc)).isFalse();
    }

    @Test
    void dottedPathsReachNestedFields() {
        String doc = "{input: {meta: {seq: 7}}}";
        assertThat(matches("{'input.meta.seq': 7}", doc)).isTrue();
        assertThat(matches("{'input.meta.seq': {$gt: 7}}", doc)).isFalse();
        assertThat(matches("{'input.other': {$exists: true}}", doc)).isFalse();
    }

    @Test
    void anArrayFieldMatchesWhenAnyElementMatches() {
        String doc = "{tags: ['a', 'b'], scores: [3, 9]}";
        assertThat(matches("{tags: 'b'}", doc)).isTrue();
        assertThat(matches("{tags: 'c'}", doc)).isFalse();
        assertThat(matches("{scores: {$gt: 8}}", doc)).isTrue();
        assertThat(matches("{scores: {$in: [1, 3]}}", doc)).isTrue();
        assertThat(matches("{tags: ['a', 'b']}", doc)).as("whole array equality").isTrue();
        assertThat(matches("{tags: ['b', 'a']}", doc)).isFalse();
    }

    @Test
    void pathsGoThroughArraysOfDocuments() {
        String doc = "{items: [{sku: 'x', qty: 1}, {sku: 'y', qty: 5}]}";
        assertThat(matches("{'items.sku': 'y'}", doc)).isTrue();
        assertThat(matches("{'items.qty': {$gte: 5}}", doc)).isTrue();
        assertThat(matches("{'items.qty': {$gt: 5}}", doc)).isFalse();
        assertThat(matches("{'items.1.sku': 'y'}", doc)).as("numeric segment indexes").isTrue();
        assertThat(matches("{'items.0.sku': 'y'}", doc)).isFalse();
    }

    @Test
    void neAndNinMatchOnlyWhenNoElementMatches() {
        assertThat(matches("{tags: {$ne: 'a'}}", "{tags: ['a', 'b']}")).isFalse();
        assertThat(matches("{tags: {$nin: ['x', 'b']}}", "{tags: ['a', 'b']}")).isFalse();
        assertThat(matches("{tags: {$nin: ['x', 'y']}}", "{tags: ['a', 'b']}")).isTrue();
    }

    @Test
    void missingFieldsMatchNeNinAndNullButNotExists() {
        String doc = "{other: 1}";
        assertThat(matches("{status: {$ne: 'done'}}", doc)).isTrue();
        assertThat(matches("{status: {$nin: ['done']}}", doc)).isTrue();
        assertThat(matches("{status: null}", doc)).isTrue();
        assertThat(matches("{status: {$in: [null, 'x']}}", doc)).isTrue();
        assertThat(matches("{status: {$exists: true}}", doc)).isFalse();
        assertThat(matches("{status: {$exists: false}}", doc)).isTrue();
        assertThat(matches("{status: {$gt: 0}}", doc)).isFalse();
    }

    @Test
    void nullValueIsPresentForExists() {
        assertThat(matches("{status: {$exists: true}}", "{status: null}")).isTrue();
        assertThat(matches("{status: null}", "{status: null}")).isTrue();
        assertThat(matches("{status: {$ne: null}}", "{status: null}")).isFalse();
        assertThat(matches("{status: {$ne: null}}", "{status: 0}")).isTrue();
    }

    @Test
    void regexWithOptions() {
        assertThat(matches("{name: {$regex: '^jo'}}", "{name: 'john'}")).isTrue();
        assertThat(matches("{name: {$regex: '^jo'}}", "{name: 'JOHN'}")).isFalse();
        assertThat(matches("{name: {$regex: '^jo', $options: 'i'}}", "{name: 'JOHN'}")).isTrue();
        assertThat(matches("{name: {$regex: 'ohn$'}}", "{name: ['x', 'john']}")).isTrue();
        assertThat(matches("{name: {$regex: '1'}}", "{name: 1}")).as("regex never matches numbers").isFalse();
    }

    @Test
    void notNegatesAnExpressionAndMatchesMissing() {
        assertThat(matches("{n: {$not: {$gt: 5}}}", "{n: 3}")).isTrue();
        assertThat(matches("{n: {$not: {$gt: 5}}}", "{n: 9}")).isFalse();
        assertThat(matches("{n: {$not: {$gt: 5}}}", "{m: 9}")).isTrue();
    }

    @Test
    void logicalOperators() {
        String doc = "{a: 1, b: 2}";
        assertThat(matches("{$and: [{a: 1}, {b: 2}]}", doc)).isTrue();
        assertThat(matches("{$and: [{a: 1}, {b: 3}]}", doc)).isFalse();
        assertThat(matches("{$or: [{a: 5}, {b: 2}]}", doc)).isTrue();
        assertThat(matches("{$or: [{a: 5}, {b: 5}]}", doc)).isFalse();
        assertThat(matches("{$nor: [{a: 5}, {b: 5}]}", doc)).isTrue();
        assertThat(matches("{$nor: [{a: 1}]}", doc)).isFalse();
    }

    @Test
    void embeddedDocumentEqualityIsOrderSensitiveAndNumberAware() {
        assertThat(matches("{m: {x: 1, y: 2}}", "{m: {x: 1.0, y: {$numberLong: '2'}}}")).isTrue();
        assertThat(matches("{m: {x: 1, y: 2}}", "{m: {y: 2, x: 1}}")).isFalse();
        assertThat(matches("{m: {x: 1}}", "{m: {x: 1, y: 2}}")).isFalse();
    }

    @Test
    void badFiltersAreRejectedWithTheOperatorNamed() {
        assertThatThrownBy(() -> Filter.parse("{a: {$size: 2}}")).hasMessageContaining("$size").hasMessageContaining("'a'");
        assertThatThrownBy(() -> Filter.parse("{$where: 'x'}")).hasMessageContaining("$where");
        assertThatThrownBy(() -> Filter.parse("{a: {$in: 3}}")).hasMessageContaining("$in");
        assertThatThrownBy(() -> Filter.parse("{a: {$regex: '('}}")).hasMessageContaining("invalid regular expression");
        assertThatThrownBy(() -> Filter.parse("{a: {$regex: 'x', $options: 'q'}}")).hasMessageContaining("'q'");
        assertThatThrownBy(() -> Filter.parse("{$or: []}")).hasMessageContaining("$or");
    }
}
