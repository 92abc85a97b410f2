package io.changeover.transform.step;

import static io.changeover.transform.step.StepFixtures.applied;
import static io.changeover.transform.step.StepFixtures.map;
import static io.changeover.transform.step.StepFixtures.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import org.bson.BsonBinary;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.UuidRepresentation;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import io.changeover.transform.spec.SpecException;

class ConvertStepTest {
    @Test
    void convertsScalarsToEachType() {
        BsonDocument out = applied(step("convert", map("a", "int", "b", "long", "c", "double", "d", "decimal",
                "e", "string", "f", "date", "g", "objectId", "h", "uuid", "i", "string")),
                "{a: '42', b: 7.0, c: '1.5', d: 0.1, e: 12, f: '2024-01-02', g: '65f0a0000000000000000001',"
                        + " h: '123e4567-e89b-12d3-a456-426614174000', i: {$oid: '65f0a0000000000000000001'}}");
        assertThat(out.get("a")).isEqualTo(new BsonInt32(42));
        assertThat(out.get("b")).isEqualTo(new BsonInt64(7));
        assertThat(out.getDouble("c").getValue()).isEqualTo(1.5);
        assertThat(out.get("d")).isEqualTo(new BsonDecimal128(Decimal128.parse("0.1")));
        assertThat(out.get("e")).isEqualTo(new BsonString("12"));
        assertThat(out.get("f")).isEqualTo(new BsonDateTime(1704153600000L));
        assertThat(out.get("g")).isEqualTo(new BsonObjectId(new ObjectId("65f0a0000000000000000001")));
        assertThat(out.get("h")).isEqualTo(new BsonBinary(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
                UuidRepresentation.STANDARD));
        assertThat(out.get("i")).isEqualTo(new BsonString("65f0a0000000000000000001"));
    }

    @Test
    void convertsNestedPathsAndInsideArraysLeavingMissingAndNullAlone() {
        BsonDocument out = applied(step("convert", map("items.qty", "int", "tags", "string", "none", "int", "n", "int")),
                "{items: [{qty: '1'}, {qty: 2.0}, {sku: 'x'}], tags: [1, 2], n: null}");
        assertThat(out).isEqualTo(BsonDocument.parse("{items: [{qty: 1}, {qty: 2}, {sku: 'x'}], tags: ['1', '2'], n: null}"));
    }

    @Test
    void aListOfDocumentsBecomesCsvWithQuoting() {
        BsonDocument out = applied(step("convert", map("matrix", "csv")),
                "{matrix: [{pos: 1, aa: 'A', note: 'x,y'}, {pos: 2, aa: 'say \"hi\"', extra: true}]}");
        assertThat(out.getString("matrix").getValue())
                .isEqualTo("pos,aa,note,extra\n1,A,\"x,y\",\n2,\"say \"\"hi\"\"\",,true\n");
    }

    @Test
    void csvColumnsFollowTheFirstRowWhateverTheOrderOfLaterRows() {
        BsonDocument out = applied(step("convert", map("matrix", "csv")),
                "{matrix: [{a: 1, b: 2}, {b: 3, a: 4}, {a: 5, b: 6}, {b: 7}, {c: 8, a: 9}]}");
        assertThat(out.getString("matrix").getValue()).isEqualTo("a,b,c\n1,2,\n4,3,\n5,6,\n,7,\n9,,8\n");
    }

    @Test
    void aValueThatCannotBeConvertedIsADataErrorNamingIt() {
        assertThatThrownBy(() -> applied(step("convert", map("n", "int")), "{n: 'five'}"))
                .hasMessageContaining("cannot convert string \"five\" to int");
        assertThatThrownBy(() -> applied(step("convert", map("n", "int")), "{n: 1.5}"))
                .hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> applied(step("convert", map("m", "csv")), "{m: [1, 2]}"))
                .hasMessageContaining("not a document");
    }

    @Test
    void anUnknownTypeIsASpecError() {
        assertThatThrownBy(() -> step("convert", map("n", "integer")))
                .isInstanceOf(SpecException.class).hasMessageContaining("unknown conversion 'integer'");
    }
}
