package io.changeover.verify.relational;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.UUID;

import org.bson.BsonBinarySubType;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.UuidRepresentation;
import org.bson.json.JsonParseException;

/**
 * Whether a value read from a PostgreSQL column (as the JDBC driver returns it) is the document value the spec puts
 * there (docs/relational-target.md, "Types"). The verifier's own reading of the mapping, from the stored value back
 * to BSON, written apart from the sink's conversion (which goes the other way, BSON to text) so a mistake in one is not
 * repeated by the other.
 */
final class ColumnEquality {
    private ColumnEquality() {
    }

    /** {@code stored}: the column's value from {@code ResultSet.getObject} (null for SQL NULL). */
    static boolean equal(String type, Object stored, BsonValue expected) {
        boolean absent = expected == null || expected.isNull();
        if (stored == null || absent) {
            return stored == null && absent;
        }
        try {
            return storedEquals(type, stored, expected);
        } catch (ArithmeticException | NumberFormatException e) {
            return false;   // an expected NaN or infinity: no column holds it
        }
    }

    private static boolean storedEquals(String type, Object stored, BsonValue expected) {
        return switch (type) {
            case "text" -> text(stored.toString(), expected);
            case "integer", "bigint", "numeric" -> expected.isNumber() || expected.isDecimal128()
                    ? sameNumber(new BigDecimal(stored.toString()), expected) : false;
            case "double precision" -> (expected.isNumber() || expected.isDecimal128())
                    && Double.compare(((Number) stored).doubleValue(), decimal(expected).doubleValue()) == 0;
            case "boolean" -> expected.isBoolean() && stored.equals(expected.asBoolean().getValue());
            case "timestamptz" -> instant(expected) != null && ((Timestamp) stored).toInstant().equals(instant(expected));
            case "uuid" -> stored.equals(uuid(expected));
            case "jsonb" -> JsonEquality.equal(parse(stored.toString()), expected);
            case "bytea" -> expected.isBinary() && Arrays.equals((byte[]) stored, expected.asBinary().getData());
            default -> throw new IllegalArgumentException("no verification for column type " + type);
        };
    }

    private static boolean text(String stored, BsonValue expected) {
        if (expected.isString()) {
            return stored.equals(expected.asString().getValue());
        }
        if (expected.isObjectId()) {
            return stored.equals(expected.asObjectId().getValue().toHexString());
        }
        if (expected.isNumber() || expected.isDecimal128()) {
            try {
                return sameNumber(new BigDecimal(stored), expected);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        BsonValue parsed = parse(stored);
        return parsed != null && JsonEquality.equal(parsed, expected);
    }

    private static boolean sameNumber(BigDecimal stored, BsonValue expected) {
        return stored.compareTo(decimal(expected)) == 0;
    }

    private static BigDecimal decimal(BsonValue number) {
        if (number.isDecimal128()) {
            return number.asDecimal128().getValue().bigDecimalValue();
        }
        if (number.isDouble()) {
            return BigDecimal.valueOf(number.asDouble().getValue());
        }
        return BigDecimal.valueOf(number.asNumber().longValue());
    }

    private static Instant instant(BsonValue expected) {
        if (expected.isDateTime()) {
            return Instant.ofEpochMilli(expected.asDateTime().getValue());
        }
        if (expected.isString()) {
            try {
                return OffsetDateTime.parse(expected.asString().getValue()).toInstant();
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }

    private static UUID uuid(BsonValue expected) {
        if (expected.isBinary() && expected.asBinary().getType() == BsonBinarySubType.UUID_STANDARD.getValue()) {
            return expected.asBinary().asUuid();
        }
        if (expected.isBinary() && expected.asBinary().getType() == BsonBinarySubType.UUID_LEGACY.getValue()) {
            return expected.asBinary().asUuid(UuidRepresentation.JAVA_LEGACY);
        }
        if (expected.isString()) {
            try {
                return UUID.fromString(expected.asString().getValue());
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    /** A JSON text as a BSON value (relaxed Extended JSON), or null when it is not JSON. */
    static BsonValue parse(String json) {
        try {
            return BsonDocument.parse("{\"v\": " + json + "}").get("v");
        } catch (JsonParseException | org.bson.BSONException e) {
            return null;
        }
    }
}
