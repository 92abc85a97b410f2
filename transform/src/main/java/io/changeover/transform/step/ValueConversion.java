package io.changeover.transform.step;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.UuidRepresentation;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

/**
 * The conversions of the {@code convert} step, one per target type. Null stays null; a value that cannot be converted
 * is an {@link IllegalArgumentException} saying which value and why (a data error: the document is dead-lettered).
 */
enum ValueConversion {
    STRING("string"), INT("int"), LONG("long"), DOUBLE("double"), DECIMAL("decimal"), DATE("date"),
    OBJECT_ID("objectId"), UUID_("uuid"), CSV("csv");

    private final String spelling;

    ValueConversion(String spelling) {
        this.spelling = spelling;
    }

    static ValueConversion named(String name) {
        for (ValueConversion c : values()) {
            if (c.spelling.equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown conversion '" + name + "'; expected one of " + spellings());
    }

    static String spellings() {
        Set<String> names = new LinkedHashSet<>();
        for (ValueConversion c : values()) {
            names.add(c.spelling);
        }
        return String.join(", ", names);
    }

    BsonValue convert(BsonValue value) {
        if (value.isNull()) {
            return value;
        }
        try {
            return switch (this) {
                case STRING -> new BsonString(text(value));
                case INT -> new BsonInt32(exact(value).intValueExact());
                case LONG -> new BsonInt64(exact(value).longValueExact());
                case DOUBLE -> new BsonDouble(number(value).doubleValue());
                case DECIMAL -> new BsonDecimal128(new Decimal128(number(value)));
                case DATE -> date(value);
                case OBJECT_ID -> objectId(value);
                case UUID_ -> uuid(value);
                case CSV -> new BsonString(CsvWriter.write(value));
            };
        } catch (ArithmeticException | NumberFormatException | DateTimeParseException e) {
            throw cannot(value, e.getMessage());
        }
    }

    private IllegalArgumentException cannot(BsonValue value, String why) {
        String shown = new BsonDocument("v", value).toJson();
        shown = shown.substring(6, shown.length() - 1);
        if (shown.length() > 80) {
            shown = shown.substring(0, 80) + "...";
        }
        return new IllegalArgumentException("cannot convert " + value.getBsonType().name().toLowerCase(Locale.ROOT)
                + " " + shown + " to " + spelling + (why == null ? "" : ": " + why));
    }

    private String text(BsonValue value) {
        return switch (value.getBsonType()) {
            case STRING -> value.asString().getValue();
            case INT32, INT64, DECIMAL128 -> number(value).toPlainString();
            case DOUBLE -> Double.toString(value.asDouble().getValue());
            case BOOLEAN -> Boolean.toString(value.asBoolean().getValue());
            case OBJECT_ID -> value.asObjectId().getValue().toHexString();
            case DATE_TIME -> Instant.ofEpochMilli(value.asDateTime().getValue()).toString();
            case BINARY -> uuidText(value);
            default -> throw cannot(value, null);
        };
    }

    private String uuidText(BsonValue value) {
        BsonBinary binary = value.asBinary();
        if (binary.getType() != BsonBinarySubType.UUID_STANDARD.getValue()) {
            throw cannot(value, "only UUID binaries (subtype 4) have a text form");
        }
        return binary.asUuid().toString();
    }

    private BigDecimal number(BsonValue value) {
        return switch (value.getBsonType()) {
            case INT32 -> BigDecimal.valueOf(value.asInt32().getValue());
            case INT64 -> BigDecimal.valueOf(value.asInt64().getValue());
            case DOUBLE -> {
                double d = value.asDouble().getValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw cannot(value, "not a finite number");
                }
                yield BigDecimal.valueOf(d);
            }
            case DECIMAL128 -> value.asDecimal128().getValue().bigDecimalValue();
            case STRING -> new BigDecimal(value.asString().getValue().strip());
            default -> throw cannot(value, null);
        };
    }

    private BigDecimal exact(BsonValue value) {
        BigDecimal n = number(value);
        try {
            return new BigDecimal(n.toBigIntegerExact());
        } catch (ArithmeticException e) {
            throw cannot(value, "not a whole number");
        }
    }

    private BsonValue date(BsonValue value) {
        return switch (value.getBsonType()) {
            case DATE_TIME -> value;
            case INT32, INT64 -> new BsonDateTime(exact(value).longValueExact());
            case STRING -> new BsonDateTime(parseDate(value.asString().getValue().strip()));
            default -> throw cannot(value, null);
        };
    }

    private static long parseDate(String text) {
        if (text.length() == 10) {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        }
        return Instant.parse(text).toEpochMilli();
    }

    private BsonValue objectId(BsonValue value) {
        if (value.isObjectId()) {
            return value;
        }
        if (value.isString() && ObjectId.isValid(value.asString().getValue())) {
            return new BsonObjectId(new ObjectId(value.asString().getValue()));
        }
        throw cannot(value, "expected 24 hexadecimal digits");
    }

    private BsonValue uuid(BsonValue value) {
        if (value.isBinary() && value.asBinary().getType() == BsonBinarySubType.UUID_STANDARD.getValue()) {
            return value;
        }
        if (value.isString()) {
            try {
                return new BsonBinary(UUID.fromString(value.asString().getValue().strip()), UuidRepresentation.STANDARD);
            } catch (IllegalArgumentException e) {
                throw cannot(value, "expected a UUID such as 123e4567-e89b-12d3-a456-426614174000");
            }
        }
        throw cannot(value, null);
    }
}
