package io.changeover.sink.relational;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import org.bson.BsonBinarySubType;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.UuidRepresentation;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

import io.changeover.transform.spec.ColumnSpec;

/**
 * How a BSON value becomes a value of one PostgreSQL column type. Rows travel to PostgreSQL as arrays of text, one per
 * column ({@code unnest(?::text[], ...)}), each element turned into the column's type by {@link #fromText}; a value the
 * type cannot hold is a {@link ColumnValueException} (the document is dead-lettered), found here before any SQL runs.
 * Missing and null values are SQL NULL. See docs/relational-target.md for the mapping.
 */
public sealed interface ColumnType {
    JsonWriterSettings JSON = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

    /** The type's name in DDL and casts. */
    String sql();

    /** The SQL expression turning the text {@code element} into this type. */
    default String fromText(String element) {
        return element + "::" + sql();
    }

    /** The text form of {@code value} ({@code value} not null, not BSON null). */
    String text(BsonValue value);

    static ColumnType of(String name) {
        ColumnType type = BY_NAME.get(name);
        if (type == null) {
            throw new IllegalArgumentException("unsupported column type '" + name + "'; expected one of " + ColumnSpec.TYPES);
        }
        return type;
    }

    Map<String, ColumnType> BY_NAME = Map.of("text", new Text(), "integer", new Whole("integer", Integer.MIN_VALUE,
            Integer.MAX_VALUE), "bigint", new Whole("bigint", Long.MIN_VALUE, Long.MAX_VALUE), "double precision",
            new DoublePrecision(), "numeric", new Numeric(), "boolean", new Bool(), "timestamptz", new Timestamp(),
            "uuid", new Uuid(), "jsonb", new Jsonb(), "bytea", new Bytea());

    /**
     * Strings as they are, ObjectIds as hex, numbers in their shortest decimal ({@code 5}, {@code 5L} and {@code 5.0}
     * are all {@code 5}: one MongoDB {@code _id}, one key), anything else as relaxed Extended JSON.
     */
    record Text() implements ColumnType {
        public String sql() {
            return "text";
        }

        public String text(BsonValue value) {
            String text = switch (value.getBsonType()) {
                case STRING -> value.asString().getValue();
                case OBJECT_ID -> value.asObjectId().getValue().toHexString();
                case INT32, INT64, DOUBLE, DECIMAL128 -> Numbers.decimal(value).stripTrailingZeros().toPlainString();
                default -> new Jsonb().text(value);
            };
            return Texts.checked(text);
        }
    }

    /** Whole numbers (any BSON number without a fraction) within the type's range. */
    record Whole(String sql, long min, long max) implements ColumnType {
        public String text(BsonValue value) {
            BigDecimal number = Numbers.decimal(value);
            try {
                long whole = number.longValueExact();
                if (whole < min || whole > max) {
                    throw new ColumnValueException(number + " is out of range for " + sql);
                }
                return Long.toString(whole);
            } catch (ArithmeticException e) {
                throw new ColumnValueException(number + " is not a whole number within " + sql + "'s range");
            }
        }
    }

    record DoublePrecision() implements ColumnType {
        public String sql() {
            return "double precision";
        }

        public String text(BsonValue value) {
            if (!value.isNumber() && !value.isDecimal128()) {
                throw new ColumnValueException("a " + value.getBsonType() + " is not a number");
            }
            double d = value.isDecimal128() ? value.asDecimal128().getValue().bigDecimalValue().doubleValue()
                    : value.asNumber().doubleValue();
            return Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity") : Double.toString(d);
        }
    }

    record Numeric() implements ColumnType {
        public String sql() {
            return "numeric";
        }

        public String text(BsonValue value) {
            return Numbers.decimal(value).toPlainString();
        }
    }

    record Bool() implements ColumnType {
        public String sql() {
            return "boolean";
        }

        public String text(BsonValue value) {
            if (!value.isBoolean()) {
                throw new ColumnValueException("a " + value.getBsonType() + " is not a boolean");
            }
            return Boolean.toString(value.asBoolean().getValue());
        }
    }

    /** BSON dates, or strings in ISO-8601 with an offset. */
    record Timestamp() implements ColumnType {
        public String sql() {
            return "timestamptz";
        }

        public String text(BsonValue value) {
            if (value.isDateTime()) {
                return Instant.ofEpochMilli(value.asDateTime().getValue()).toString();
            }
            if (value.isString()) {
                try {
                    return OffsetDateTime.parse(value.asString().getValue()).toInstant().toString();
                } catch (DateTimeParseException e) {
                    throw new ColumnValueException("'" + value.asString().getValue() + "' is not an ISO-8601 date-time "
                            + "with an offset");
                }
            }
            throw new ColumnValueException("a " + value.getBsonType() + " is not a date");
        }
    }

    /** Binary subtype 4 (or legacy 3, Java order) or a UUID string. */
    record Uuid() implements ColumnType {
        public String sql() {
            return "uuid";
        }

        public String text(BsonValue value) {
            if (value.isBinary() && value.asBinary().getType() == BsonBinarySubType.UUID_STANDARD.getValue()) {
                return value.asBinary().asUuid().toString();
            }
            if (value.isBinary() && value.asBinary().getType() == BsonBinarySubType.UUID_LEGACY.getValue()) {
                return value.asBinary().asUuid(UuidRepresentation.JAVA_LEGACY).toString();
            }
            if (value.isString()) {
                try {
                    return UUID.fromString(value.asString().getValue()).toString();
                } catch (IllegalArgumentException e) {
                    throw new ColumnValueException("'" + value.asString().getValue() + "' is not a UUID");
                }
            }
            throw new ColumnValueException("a " + value.getBsonType() + " is not a UUID");
        }
    }

    /** Any value, as relaxed Extended JSON. */
    record Jsonb() implements ColumnType {
        public String sql() {
            return "jsonb";
        }

        public String text(BsonValue value) {
            String json = new BsonDocument("v", value).toJson(JSON);
            json = json.substring("{\"v\": ".length(), json.length() - 1);
            if (json.contains("\\u0000")) {
                throw new ColumnValueException("jsonb cannot hold the character U+0000");
            }
            return json;
        }
    }

    /** Binary data of any subtype. */
    record Bytea() implements ColumnType {
        public String sql() {
            return "bytea";
        }

        @Override
        public String fromText(String element) {
            return "decode(" + element + ", 'hex')";
        }

        public String text(BsonValue value) {
            if (!value.isBinary()) {
                throw new ColumnValueException("a " + value.getBsonType() + " is not binary data");
            }
            return HexFormat.of().formatHex(value.asBinary().getData());
        }
    }

    /** Numbers as exact decimals. */
    final class Numbers {
        private Numbers() {
        }

        static BigDecimal decimal(BsonValue value) {
            switch (value.getBsonType()) {
                case INT32: return BigDecimal.valueOf(value.asInt32().getValue());
                case INT64: return BigDecimal.valueOf(value.asInt64().getValue());
                case DOUBLE:
                    double d = value.asDouble().getValue();
                    if (Double.isNaN(d) || Double.isInfinite(d)) {
                        throw new ColumnValueException(d + " is not a finite number");
                    }
                    return new BigDecimal(Double.toString(d));
                case DECIMAL128:
                    try {
                        return value.asDecimal128().getValue().bigDecimalValue();
                    } catch (ArithmeticException e) {
                        throw new ColumnValueException(value.asDecimal128().getValue() + " is not a finite number");
                    }
                default:
                    throw new ColumnValueException("a " + value.getBsonType() + " is not a number");
            }
        }
    }

    /** PostgreSQL text cannot hold U+0000. */
    final class Texts {
        private Texts() {
        }

        static String checked(String text) {
            if (text.indexOf('\0') >= 0) {
                throw new ColumnValueException("PostgreSQL text cannot hold the character U+0000");
            }
            return text;
        }
    }
}
