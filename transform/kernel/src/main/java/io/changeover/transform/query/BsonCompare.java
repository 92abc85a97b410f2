package io.changeover.transform.query;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.types.Decimal128;

/**
 * MongoDB's comparison of BSON values: numbers of every type (int32, int64, double, decimal128) compare by value,
 * strings by code point (like MongoDB's binary comparison of UTF-8), documents field by field in order, arrays element
 * by element. Values of different type classes are never equal and are not ordered against each other (range
 * operators do not match across types, as in MongoDB's type bracketing).
 */
public final class BsonCompare {
    /** Type classes: values compare only within one class. */
    enum TypeClass { NULL, NUMBER, STRING, DOCUMENT, ARRAY, BINARY, OBJECT_ID, BOOLEAN, DATE, TIMESTAMP, REGEX, OTHER }

    private BsonCompare() {
    }

    static TypeClass typeClass(BsonValue v) {
        return switch (v.getBsonType()) {
            case NULL, UNDEFINED -> TypeClass.NULL;
            case INT32, INT64, DOUBLE, DECIMAL128 -> TypeClass.NUMBER;
            case STRING, SYMBOL -> TypeClass.STRING;
            case DOCUMENT -> TypeClass.DOCUMENT;
            case ARRAY -> TypeClass.ARRAY;
            case BINARY -> TypeClass.BINARY;
            case OBJECT_ID -> TypeClass.OBJECT_ID;
            case BOOLEAN -> TypeClass.BOOLEAN;
            case DATE_TIME -> TypeClass.DATE;
            case TIMESTAMP -> TypeClass.TIMESTAMP;
            case REGULAR_EXPRESSION -> TypeClass.REGEX;
            default -> TypeClass.OTHER;
        };
    }

    /** True when both values are of one type class and equal (1, 1L, 1.0 and decimal 1 are all equal). */
    public static boolean equal(BsonValue a, BsonValue b) {
        TypeClass type = typeClass(a);
        if (type != typeClass(b)) {
            return false;
        }
        return switch (type) {
            case NULL -> true;
            case NUMBER -> compareNumbers(a, b) == 0;
            case STRING -> string(a).equals(string(b));
            case DOCUMENT -> documentsEqual(a.asDocument(), b.asDocument());
            case ARRAY -> arraysEqual(a.asArray(), b.asArray());
            default -> a.equals(b);
        };
    }

    /** True when both are of one ordered type class; then {@link #compare} may be called. */
    public static boolean comparable(BsonValue a, BsonValue b) {
        TypeClass type = typeClass(a);
        return type == typeClass(b) && switch (type) {
            case NUMBER, STRING, DATE, TIMESTAMP, OBJECT_ID, BOOLEAN, NULL -> true;
            default -> false;
        };
    }

    /** Orders two {@link #comparable} values; otherwise throws {@link IllegalArgumentException}. */
    public static int compare(BsonValue a, BsonValue b) {
        if (!comparable(a, b)) {
            throw new IllegalArgumentException("cannot order " + a.getBsonType() + " against " + b.getBsonType());
        }
        return switch (typeClass(a)) {
            case NUMBER -> compareNumbers(a, b);
            case STRING -> compareCodePoints(string(a), string(b));
            case DATE -> Long.compare(a.asDateTime().getValue(), b.asDateTime().getValue());
            case TIMESTAMP -> a.asTimestamp().compareTo(b.asTimestamp());
            case OBJECT_ID -> a.asObjectId().getValue().compareTo(b.asObjectId().getValue());
            case BOOLEAN -> Boolean.compare(a.asBoolean().getValue(), b.asBoolean().getValue());
            default -> 0;
        };
    }

    private static String string(BsonValue v) {
        return v.isString() ? v.asString().getValue() : v.asSymbol().getSymbol();
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static int compareNumbers(BsonValue a, BsonValue b) {
        if (isIntegral(a) && isIntegral(b)) {
            return Long.compare(a.asNumber().longValue(), b.asNumber().longValue());
        }
        return NumberKey.of(a).compareTo(NumberKey.of(b));
    }

    private static boolean isIntegral(BsonValue v) {
        return v.isInt32() || v.isInt64();
    }

    private static boolean documentsEqual(BsonDocument a, BsonDocument b) {
        if (a.size() != b.size()) {
            return false;
        }
        Iterator<Map.Entry<String, BsonValue>> ia = a.entrySet().iterator();
        Iterator<Map.Entry<String, BsonValue>> ib = b.entrySet().iterator();
        while (ia.hasNext()) {
            Map.Entry<String, BsonValue> ea = ia.next();
            Map.Entry<String, BsonValue> eb = ib.next();
            if (!ea.getKey().equals(eb.getKey()) || !equal(ea.getValue(), eb.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean arraysEqual(BsonArray a, BsonArray b) {
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

    /** A number as an exact, totally ordered key: NaN lowest, then -infinity, finite values, +infinity. */
    private record NumberKey(int rank, BigDecimal value) implements Comparable<NumberKey> {
        private static final int NAN = 0;
        private static final int NEGATIVE_INFINITY = 1;
        private static final int FINITE = 2;
        private static final int POSITIVE_INFINITY = 3;

        static NumberKey of(BsonValue v) {
            if (v.isDouble()) {
                return ofDouble(v.asDouble().getValue());
            }
            if (v.isDecimal128()) {
                return ofDecimal(v.asDecimal128().getValue());
            }
            return new NumberKey(FINITE, BigDecimal.valueOf(v.asNumber().longValue()));
        }

        private static NumberKey ofDouble(double d) {
            if (Double.isNaN(d)) {
                return new NumberKey(NAN, BigDecimal.ZERO);
            }
            if (Double.isInfinite(d)) {
                return new NumberKey(d > 0 ? POSITIVE_INFINITY : NEGATIVE_INFINITY, BigDecimal.ZERO);
            }
            return new NumberKey(FINITE, new BigDecimal(d));
        }

        private static NumberKey ofDecimal(Decimal128 d) {
            if (d.isNaN()) {
                return new NumberKey(NAN, BigDecimal.ZERO);
            }
            if (d.isInfinite()) {
                return new NumberKey(d.isNegative() ? NEGATIVE_INFINITY : POSITIVE_INFINITY, BigDecimal.ZERO);
            }
            try {
                return new NumberKey(FINITE, d.bigDecimalValue());
            } catch (ArithmeticException negativeZero) {
                return new NumberKey(FINITE, BigDecimal.ZERO);
            }
        }

        @Override
        public int compareTo(NumberKey o) {
            return rank != o.rank ? Integer.compare(rank, o.rank) : value.compareTo(o.value);
        }
    }
}
