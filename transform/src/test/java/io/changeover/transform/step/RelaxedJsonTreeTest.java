package io.changeover.transform.step;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.BsonRegularExpression;
import org.bson.BsonTimestamp;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class RelaxedJsonTreeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyBsonTypeBecomesTheTreeItsRelaxedJsonTextParsesTo() throws Exception {
        BsonDocument document = BsonDocument.parse("""
                {_id: {$oid: '65f0a0000000000000000001'}, s: 'tëxt "quoted"\\n', b: true, n: null,
                 nested: {a: [1, 'x', {y: false}], empty: {}}, emptyArray: []}""")
                .append("i32", new BsonInt32(-7))
                .append("smallInt64", new BsonInt64(3))
                .append("bigInt64", new BsonInt64(1L << 40))
                .append("minInt64", new BsonInt64(Long.MIN_VALUE))
                .append("integralDouble", new BsonDouble(2.0))
                .append("double", new BsonDouble(0.1))
                .append("hugeDouble", new BsonDouble(1e300))
                .append("nan", new BsonDouble(Double.NaN))
                .append("infinity", new BsonDouble(Double.NEGATIVE_INFINITY))
                .append("date", new BsonDateTime(1_700_000_000_000L))
                .append("dateWithMillis", new BsonDateTime(1_700_000_000_123L))
                .append("epoch", new BsonDateTime(0))
                .append("beforeEpoch", new BsonDateTime(-1))
                .append("afterYear9999", new BsonDateTime(253_402_300_800_000L))
                .append("decimal", new BsonDecimal128(Decimal128.parse("1.50")))
                .append("binary", new BsonBinary(new byte[] {1, 2, 3}))
                .append("emptyBinary", new BsonBinary(new byte[0]))
                .append("uuid", new BsonBinary((byte) 4, new byte[16]))
                .append("userBinary", new BsonBinary((byte) 0x8a, new byte[] {-1, 0, 127}))
                .append("timestamp", new BsonTimestamp(5, 6))
                .append("regex", new BsonRegularExpression("^a", "i"))
                .append("min", new BsonMinKey())
                .append("max", new BsonMaxKey())
                .append("mixed", new BsonArray(List.of(new BsonInt64(9), new BsonDateTime(86_400_000L), new BsonDouble(Double.NaN))));

        JsonNode parsed = JSON.readTree(document.toJson(JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build()));

        assertThat(RelaxedJsonTree.of(document)).isEqualTo(parsed);
        document.keySet().forEach(key -> assertThat(RelaxedJsonTree.of(document).get(key).getNodeType())
                .as(key).isEqualTo(parsed.get(key).getNodeType()));
        assertThat(RelaxedJsonTree.of(document).get("smallInt64").isInt()).isTrue();
        assertThat(RelaxedJsonTree.of(document).get("bigInt64").isLong()).isTrue();
    }

    @Test
    void theDocumentIsNotChanged() {
        BsonDocument document = BsonDocument.parse("{a: {b: [1, {$date: '2024-01-01T00:00:00Z'}]}}");
        BsonDocument before = document.clone();
        RelaxedJsonTree.of(document);
        assertThat(document).isEqualTo(before);
    }
}
