package io.changeover.transform.canonical;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.bson.BsonDocument;
import org.bson.BsonRegularExpression;
import org.bson.BsonValue;
import org.bson.types.Decimal128;

/**
 * Canonical form {@code v1} ({@code docs/canonical-form.md}, the specification; {@code docs/canonical-form/vectors.json},
 * its test vectors): each value is a one-byte tag and a payload, lengths and counts as 4-byte big-endian unsigned
 * integers, strings as UTF-8. Numbers of every type are written as their exact decimal value, so values MongoDB finds
 * equal ({@code 5}, {@code NumberLong(5)}, {@code 5.0}, {@code NumberDecimal("5.00")}) give equal bytes; document keys
 * are sorted by their UTF-8 bytes. Nothing depends on a JSON writer.
 */
public final class CanonicalFormV1 implements CanonicalForm {
    static final CanonicalFormV1 INSTANCE = new CanonicalFormV1();

    private CanonicalFormV1() {
    }

    @Override
    public String version() {
        return "v1";
    }

    @Override
    public byte[] bytes(BsonValue value) {
        Out out = new Out();
        write(value, out);
        return out.toByteArray();
    }

    private static void write(BsonValue value, Out out) {
        switch (value.getBsonType()) {
            case MIN_KEY -> out.write('-');
            case MAX_KEY -> out.write('+');
            case UNDEFINED -> out.write('u');
            case NULL -> out.write('n');
            case BOOLEAN -> out.tagged('B').octet(value.asBoolean().getValue() ? 1 : 0);
            case INT32 -> number(BigDecimal.valueOf(value.asInt32().getValue()), out);
            case INT64 -> number(BigDecimal.valueOf(value.asInt64().getValue()), out);
            case DOUBLE -> doubleNumber(value.asDouble().getValue(), out);
            case DECIMAL128 -> decimal(value.asDecimal128().getValue(), out);
            case STRING -> out.tagged('s').string(value.asString().getValue());
            case SYMBOL -> out.tagged('s').string(value.asSymbol().getSymbol());
            case DOCUMENT -> document(value.asDocument(), out);
            case ARRAY -> {
                out.tagged('a').u32(value.asArray().size());
                value.asArray().forEach(v -> write(v, out));
            }
            case BINARY -> out.tagged('b').octet(value.asBinary().getType()).blob(value.asBinary().getData());
            case OBJECT_ID -> out.tagged('i').writeBytes(value.asObjectId().getValue().toByteArray());
            case DATE_TIME -> out.tagged('d').u64(value.asDateTime().getValue());
            case TIMESTAMP -> out.tagged('t').u32(value.asTimestamp().getTime()).u32(value.asTimestamp().getInc());
            case REGULAR_EXPRESSION -> regex(value.asRegularExpression(), out);
            case DB_POINTER -> out.tagged('p').string(value.asDBPointer().getNamespace())
                    .writeBytes(value.asDBPointer().getId().toByteArray());
            case JAVASCRIPT -> out.tagged('c').string(value.asJavaScript().getCode());
            case JAVASCRIPT_WITH_SCOPE -> {
                out.tagged('w').string(value.asJavaScriptWithScope().getCode());
                document(value.asJavaScriptWithScope().getScope(), out);
            }
            default -> throw new IllegalArgumentException("canonical form v1 has no encoding for BSON type "
                    + value.getBsonType());
        }
    }

    private static void document(BsonDocument document, Out out) {
        byte[][] keys = new byte[document.size()][];
        int i = 0;
        for (String key : document.keySet()) {
            keys[i++] = key.getBytes(StandardCharsets.UTF_8);
        }
        Arrays.sort(keys, Arrays::compareUnsigned);
        out.tagged('o').u32(keys.length);
        for (byte[] key : keys) {
            out.blob(key);
            write(document.get(new String(key, StandardCharsets.UTF_8)), out);
        }
    }

    private static void regex(BsonRegularExpression regex, Out out) {
        char[] options = regex.getOptions().toCharArray();
        Arrays.sort(options);
        out.tagged('r').string(regex.getPattern()).string(new String(options));
    }

    private static void doubleNumber(double d, Out out) {
        if (Double.isNaN(d)) {
            out.tagged('#').string("NaN");
        } else if (Double.isInfinite(d)) {
            out.tagged('#').string(d > 0 ? "Inf" : "-Inf");
        } else {
            number(new BigDecimal(d), out); // the exact binary value, not its shortest decimal form
        }
    }

    private static void decimal(Decimal128 d, Out out) {
        if (d.isNaN()) {
            out.tagged('#').string("NaN");
        } else if (d.isInfinite()) {
            out.tagged('#').string(d.isNegative() ? "-Inf" : "Inf");
        } else {
            number(new BigDecimal(d.toString()), out); // bigDecimalValue() refuses negative zeros
        }
    }

    /** {@code 0}, or {@code [-]<digits>e<exponent>}: digits without leading or trailing zeros, value = digits × 10^exponent. */
    static String numberText(BigDecimal n) {
        if (n.signum() == 0) {
            return "0";
        }
        BigDecimal stripped = n.stripTrailingZeros();
        return stripped.unscaledValue().toString() + "e" + (-stripped.scale());
    }

    private static void number(BigDecimal n, Out out) {
        out.tagged('#').string(numberText(n));
    }

    /** Big-endian writes on a growable buffer. */
    private static final class Out extends ByteArrayOutputStream {
        Out tagged(char tag) {
            write(tag);
            return this;
        }

        Out u32(long v) {
            write((int) (v >>> 24));
            write((int) (v >>> 16));
            write((int) (v >>> 8));
            write((int) v);
            return this;
        }

        Out u64(long v) {
            return u32(v >>> 32).u32(v & 0xffffffffL);
        }

        Out blob(byte[] bytes) {
            u32(bytes.length);
            writeBytes(bytes);
            return this;
        }

        Out string(String s) {
            return blob(s.getBytes(StandardCharsets.UTF_8));
        }

        Out octet(int b) {
            write(b);
            return this;
        }
    }
}
