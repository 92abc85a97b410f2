package io.changeover.transform.canonical;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/**
 * Canonical form {@code v0}, kept only so that a migration started before {@code v1} existed computes the ids it
 * always computed: a canonical text of a BSON value, so that equal payloads give equal text whatever their field order or numeric
 * types: document keys sorted (by UTF-16 code units, recursively), array order kept, every number (int32, int64,
 * double, decimal128) written as its exact decimal value without trailing zeros ({@code 1}, {@code 1L}, {@code 1.0}
 * all give {@code 1}; {@code -0.0} gives {@code 0}), strings as JSON strings, booleans and null as in JSON; any other
 * type (ObjectId, date, binary, ...) as its canonical extended JSON. NaN and infinities are written as
 * {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"} inside {@code {"$number": ...}}. The hashed bytes are that
 * text's UTF-8. It depends on how the MongoDB driver writes extended JSON (spaces included) and writes doubles in
 * their shortest form rather than their exact value: new migrations use {@link CanonicalFormV1}.
 */
public final class LegacyTextCanonicalForm implements CanonicalForm {
    static final LegacyTextCanonicalForm INSTANCE = new LegacyTextCanonicalForm();
    private static final JsonWriterSettings EXTENDED = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();

    private LegacyTextCanonicalForm() {
    }

    @Override
    public String version() {
        return "v0";
    }

    @Override
    public byte[] bytes(BsonValue value) {
        return of(value).getBytes(StandardCharsets.UTF_8);
    }

    static String of(BsonValue value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(BsonValue value, StringBuilder out) {
        switch (value.getBsonType()) {
            case DOCUMENT -> document(value.asDocument(), out);
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < value.asArray().size(); i++) {
                    out.append(i > 0 ? "," : "");
                    write(value.asArray().get(i), out);
                }
                out.append(']');
            }
            case INT32 -> out.append(value.asInt32().getValue());
            case INT64 -> out.append(value.asInt64().getValue());
            case DOUBLE -> number(value.asDouble().getValue(), out);
            case DECIMAL128 -> decimal(value, out);
            case STRING -> string(value.asString().getValue(), out);
            case BOOLEAN -> out.append(value.asBoolean().getValue());
            case NULL -> out.append("null");
            default -> {
                String json = new BsonDocument("v", value).toJson(EXTENDED);
                out.append(json, json.indexOf(':') + 1, json.length() - 1);
            }
        }
    }

    private static void document(BsonDocument document, StringBuilder out) {
        List<Map.Entry<String, BsonValue>> entries = new ArrayList<>(document.entrySet());
        entries.sort(Map.Entry.comparingByKey());
        out.append('{');
        for (int i = 0; i < entries.size(); i++) {
            out.append(i > 0 ? "," : "");
            string(entries.get(i).getKey(), out);
            out.append(':');
            write(entries.get(i).getValue(), out);
        }
        out.append('}');
    }

    private static void number(double d, StringBuilder out) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            out.append("{\"$number\":\"").append(Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity").append("\"}");
            return;
        }
        plain(BigDecimal.valueOf(d), out);
    }

    private static void decimal(BsonValue value, StringBuilder out) {
        var decimal = value.asDecimal128().getValue();
        if (decimal.isNaN() || decimal.isInfinite()) {
            number(decimal.isNaN() ? Double.NaN : decimal.isNegative() ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, out);
            return;
        }
        plain(decimal.bigDecimalValue(), out);
    }

    private static void plain(BigDecimal n, StringBuilder out) {
        out.append(n.signum() == 0 ? "0" : n.stripTrailingZeros().toPlainString());
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
