package io.changeover.transform.query;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.Decimal128;

/**
 * Converts values as loaded from YAML into BSON: strings, integers (int32 when they fit, else int64), floating point
 * (double), booleans, null, timestamps (date), binaries, nested maps (documents, keys kept in order) and lists.
 */
public final class BsonConversion {
    private BsonConversion() {
    }

    /** The BSON form of a YAML value; anything else is an {@link IllegalArgumentException} naming the value. */
    public static BsonValue toBson(Object value) {
        if (value == null) {
            return BsonNull.VALUE;
        }
        if (value instanceof String s) {
            return new BsonString(s);
        }
        if (value instanceof Boolean b) {
            return BsonBoolean.valueOf(b);
        }
        if (value instanceof Number n) {
            return number(n);
        }
        if (value instanceof Map<?, ?> m) {
            return document(m);
        }
        if (value instanceof List<?> l) {
            BsonArray array = new BsonArray();
            l.forEach(element -> array.add(toBson(element)));
            return array;
        }
        if (value instanceof Date d) {
            return new BsonDateTime(d.getTime());
        }
        if (value instanceof byte[] bytes) {
            return new BsonBinary(bytes);
        }
        throw new IllegalArgumentException("cannot convert " + describe(value) + " to a BSON value");
    }

    /** A copy that shares nothing mutable with {@code value} (documents and arrays are deep-copied). */
    public static BsonValue copy(BsonValue value) {
        if (value.isDocument()) {
            return value.asDocument().clone();
        }
        return value.isArray() ? value.asArray().clone() : value;
    }

    /** A YAML map as a BSON document (keys must be strings). */
    public static BsonDocument document(Map<?, ?> map) {
        BsonDocument document = new BsonDocument();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("expected a string field name, got " + describe(e.getKey()));
            }
            document.put(key, toBson(e.getValue()));
        }
        return document;
    }

    private static BsonValue number(Number n) {
        if (n instanceof Integer || n instanceof Short || n instanceof Byte) {
            return new BsonInt32(n.intValue());
        }
        if (n instanceof Long l) {
            return new BsonInt64(l);
        }
        if (n instanceof BigInteger big) {
            if (big.bitLength() < 64) {
                return new BsonInt64(big.longValue());
            }
            return new BsonDecimal128(new Decimal128(new BigDecimal(big)));
        }
        if (n instanceof BigDecimal big) {
            return new BsonDecimal128(new Decimal128(big));
        }
        return new BsonDouble(n.doubleValue());
    }

    /** How a parsed YAML value reads in an error message: its kind and its text. */
    public static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map) {
            return "a map " + value;
        }
        if (value instanceof List) {
            return "a list " + value;
        }
        if (value instanceof String) {
            return "'" + value + "'";
        }
        return value.getClass().getSimpleName().toLowerCase() + " " + value;
    }
}
