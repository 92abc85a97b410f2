package io.changeover.verify.relational;

import java.math.BigDecimal;
import java.util.Map;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Equality of a value read back from JSON with the document value it came from: PostgreSQL's {@code jsonb} keeps no
 * key order and JSON no number width, so documents compare as maps and numbers by value; everything else exactly.
 */
final class JsonEquality {
    private JsonEquality() {
    }

    static boolean equal(BsonValue stored, BsonValue expected) {
        if (stored == null || expected == null) {
            return stored == expected;
        }
        if ((stored.isNumber() || stored.isDecimal128()) && (expected.isNumber() || expected.isDecimal128())) {
            return number(stored).compareTo(number(expected)) == 0;
        }
        if (stored.isDocument() && expected.isDocument()) {
            BsonDocument a = stored.asDocument();
            BsonDocument b = expected.asDocument();
            if (a.size() != b.size()) {
                return false;
            }
            for (Map.Entry<String, BsonValue> field : b.entrySet()) {
                if (!equal(a.get(field.getKey()), field.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (stored.isArray() && expected.isArray()) {
            BsonArray a = stored.asArray();
            BsonArray b = expected.asArray();
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!equal(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return stored.equals(expected);
    }

    private static BigDecimal number(BsonValue value) {
        if (value.isDecimal128()) {
            return value.asDecimal128().getValue().bigDecimalValue();
        }
        if (value.isDouble()) {
            return BigDecimal.valueOf(value.asDouble().getValue());
        }
        return BigDecimal.valueOf(value.asNumber().longValue());
    }
}
