package io.changeover.verify.relational;

import java.math.BigDecimal;

import org.bson.BsonValue;

/**
 * A document {@code _id} as PostgreSQL prints the key column holding it ({@code key::text}), to pair expected
 * documents with rows: a whole number for {@code integer} and {@code bigint} keys, the lower-case form for
 * {@code uuid}, the string (or an ObjectId's hex) for {@code text}. Null when the id cannot be such a key.
 */
final class KeyText {
    private KeyText() {
    }

    static String of(String type, BsonValue id) {
        switch (type) {
            case "integer", "bigint":
                if (!id.isNumber() && !id.isDecimal128()) {
                    return null;
                }
                try {
                    BigDecimal value = id.isDecimal128() ? id.asDecimal128().getValue().bigDecimalValue()
                            : id.isDouble() ? BigDecimal.valueOf(id.asDouble().getValue()) : BigDecimal.valueOf(id.asNumber().longValue());
                    return value.toBigIntegerExact().toString();
                } catch (ArithmeticException | NumberFormatException e) {
                    return null;
                }
            case "uuid":
                Object uuid = id.isString() || id.isBinary() ? uuidOf(id) : null;
                return uuid == null ? null : uuid.toString();
            case "text":
                if (id.isString()) {
                    return id.asString().getValue();
                }
                if (id.isObjectId()) {
                    return id.asObjectId().getValue().toHexString();
                }
                try {   // one number, one key: 5, 5L and 5.0 are one MongoDB _id
                    return id.isDecimal128() ? id.asDecimal128().getValue().bigDecimalValue().stripTrailingZeros().toPlainString()
                            : id.isDouble() ? BigDecimal.valueOf(id.asDouble().getValue()).stripTrailingZeros().toPlainString()
                            : id.isNumber() ? Long.toString(id.asNumber().longValue()) : null;
                } catch (ArithmeticException | NumberFormatException e) {
                    return null;
                }
            default:
                throw new IllegalArgumentException("the verifier pairs rows by text, integer, bigint or uuid keys, not "
                        + type);
        }
    }

    private static Object uuidOf(BsonValue id) {
        try {
            return id.isString() ? java.util.UUID.fromString(id.asString().getValue())
                    : id.asBinary().getType() == 4 ? id.asBinary().asUuid()
                    : id.asBinary().asUuid(org.bson.UuidRepresentation.JAVA_LEGACY);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
