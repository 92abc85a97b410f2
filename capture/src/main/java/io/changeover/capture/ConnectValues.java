package io.changeover.capture;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
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
 * The values of a PostgreSQL row as Debezium's connector gives them (Kafka Connect values with Debezium's logical
 * types, under the properties {@link PostgresEngineProperties} sets) as BSON, by the mapping of
 * {@code docs/postgres-source.md}: integers stay int32 ({@code smallint}, {@code integer}) or int64
 * ({@code bigint}); {@code numeric} becomes decimal128 (a string when it has more than 34 digits; declared without precision,
 * its trailing fractional zeros removed, as Debezium reads it); {@code double precision} a
 * double, {@code real} the double of its shortest decimal text (what {@code psql} shows: {@code 0.1}, not
 * {@code 0.10000000149011612}); {@code timestamptz}, {@code timestamp} (read as UTC) and {@code date} dates
 * (milliseconds: microseconds are truncated); {@code time} int64 microseconds of the day; {@code uuid} a UUID binary
 * (subtype 4); {@code json} and {@code jsonb} the JSON value parsed; {@code bytea} binary; arrays arrays; SQL NULL
 * null; everything else (text, varchar, enums, intervals, ...) the string Debezium gives.
 */
final class ConnectValues {
    private ConnectValues() {
    }

    /** A row's struct as a document, field by field in column order. */
    static BsonDocument document(Struct struct) {
        BsonDocument document = new BsonDocument();
        for (Field field : struct.schema().fields()) {
            document.put(field.name(), value(field.schema(), struct.get(field)));
        }
        return document;
    }

    /** One column's value. */
    static BsonValue value(Schema schema, Object value) {
        if (value == null) {
            return BsonNull.VALUE;
        }
        String logical = schema.name() == null ? "" : schema.name();
        return switch (logical) {
            case "io.debezium.time.Date" -> new BsonDateTime(((Number) value).longValue() * 86_400_000L);
            case "io.debezium.time.Timestamp", "org.apache.kafka.connect.data.Timestamp" ->
                    new BsonDateTime(value instanceof java.util.Date d ? d.getTime() : ((Number) value).longValue());
            case "io.debezium.time.MicroTimestamp" -> new BsonDateTime(Math.floorDiv(((Number) value).longValue(), 1000L));
            case "io.debezium.time.NanoTimestamp" ->
                    new BsonDateTime(Math.floorDiv(((Number) value).longValue(), 1_000_000L));
            case "io.debezium.time.ZonedTimestamp" -> new BsonDateTime(zonedMillis((String) value));
            case "io.debezium.time.MicroTime" -> new BsonInt64(((Number) value).longValue());
            case "io.debezium.time.Time" -> new BsonInt64(((Number) value).longValue() * 1000L);
            case "io.debezium.time.NanoTime" -> new BsonInt64(((Number) value).longValue() / 1000L);
            case "io.debezium.data.Uuid" -> new BsonBinary(UUID.fromString((String) value));
            case "io.debezium.data.Json" -> json((String) value);
            case "org.apache.kafka.connect.data.Decimal" -> decimal((BigDecimal) value);
            case "io.debezium.data.VariableScaleDecimal" -> variableScaleDecimal((Struct) value);
            default -> plain(schema, value);
        };
    }

    private static BsonValue plain(Schema schema, Object value) {
        return switch (schema.type()) {
            case INT8, INT16, INT32 -> new BsonInt32(((Number) value).intValue());
            case INT64 -> new BsonInt64(((Number) value).longValue());
            case FLOAT32 -> new BsonDouble(Double.parseDouble(Float.toString((Float) value)));   // 0.1f as 0.1
            case FLOAT64 -> new BsonDouble(((Number) value).doubleValue());
            case BOOLEAN -> BsonBoolean.valueOf((Boolean) value);
            case STRING -> new BsonString((String) value);
            case BYTES -> new BsonBinary(bytes(value));
            case ARRAY -> array(schema.valueSchema(), (List<?>) value);
            case MAP -> map(schema.valueSchema(), (Map<?, ?>) value);
            case STRUCT -> document((Struct) value);
        };
    }

    private static BsonArray array(Schema elements, List<?> values) {
        BsonArray array = new BsonArray();
        for (Object element : values) {
            array.add(value(elements, element));
        }
        return array;
    }

    private static BsonDocument map(Schema values, Map<?, ?> map) {
        BsonDocument document = new BsonDocument();
        map.forEach((k, v) -> document.put(String.valueOf(k), value(values, v)));
        return document;
    }

    /** Decimal128 when it holds the value exactly (34 digits), its plain string otherwise. */
    static BsonValue decimal(BigDecimal value) {
        try {
            return new BsonDecimal128(new Decimal128(value));
        } catch (NumberFormatException e) {
            return new BsonString(value.toPlainString());
        }
    }

    private static BsonValue variableScaleDecimal(Struct struct) {
        byte[] unscaled = bytes(struct.get("value"));
        return decimal(new BigDecimal(new BigInteger(unscaled), struct.getInt32("scale")));
    }

    /** The JSON value a json or jsonb column holds. */
    static BsonValue json(String text) {
        return BsonDocument.parse("{\"v\": " + text + "}").get("v");
    }

    private static long zonedMillis(String text) {
        return Instant.from(DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text)).toEpochMilli();
    }

    private static byte[] bytes(Object value) {
        if (value instanceof ByteBuffer buffer) {
            ByteBuffer copy = buffer.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            return bytes;
        }
        return (byte[]) value;
    }

}
