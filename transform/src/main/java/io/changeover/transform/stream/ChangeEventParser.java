package io.changeover.transform.stream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.ObjectId;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.changeover.transform.format.SourcePosition;

/**
 * Reads raw records written by capture (format in {@code docs/topics.md}): key {@code {"id": "<ejson of _id>"}},
 * value Debezium's MongoDB envelope as JSON with {@code op}, {@code after} (canonical extended JSON text) and
 * {@code source.ts_ms} / {@code source.ord}. Any problem is a {@link ChangeEventException} naming the part at fault.
 *
 * <p>The envelope is read with a streaming JSON reader that keeps only {@code op}, {@code after} (as text) and
 * {@code source.ts_ms}/{@code source.ord}, so the document is parsed once, from {@code after}, instead of twice (the
 * whole envelope into a document, then {@code after} again). An envelope that is not plain JSON of the expected shape
 * is read again the slow way, as a whole document, so every malformed record fails with the same message as before.
 */
public final class ChangeEventParser {
    private static final JsonFactory JSON = new JsonFactory();

    private ChangeEventParser() {
    }

    public static ChangeEvent parse(byte[] key, byte[] value) {
        BsonValue sourceId = sourceId(key);
        Envelope fast = value == null ? null : Envelope.read(value);
        if (fast != null) {
            return fromEnvelope(sourceId, fast);
        }
        BsonDocument envelope = json("value", value);
        ChangeEvent.Operation operation = operation(envelope);
        BsonDocument after = operation == ChangeEvent.Operation.DELETE || vanished(operation, envelope) ? null : after(envelope);
        SourcePosition position = position(envelope);
        return new ChangeEvent(sourceId, operation, after,
                operation == ChangeEvent.Operation.READ ? snapshotReadPosition(position) : position);
    }

    /**
     * True if the streaming reader reads {@code value}, {@code after} included, without falling back to the
     * document reader (for tests: what Debezium writes is).
     */
    static boolean readsInOnePass(byte[] value) {
        Envelope envelope = value == null ? null : Envelope.read(value);
        return envelope != null && (envelope.after == null || StrictJson.document(envelope.after) != null);
    }

    /**
     * What a raw record is, without reading its document: for a reader that only needs the id and the kind of change
     * (the lookup join keeps the record whole and leaves the document to the change processor).
     *
     * @param hasDocument false for a delete and for a vanished update ({@code after: null})
     */
    public record Header(BsonValue sourceId, ChangeEvent.Operation operation, boolean hasDocument) {
        public boolean isDelete() {
            return operation == ChangeEvent.Operation.DELETE;
        }

        public boolean isVanishedUpdate() {
            return operation == ChangeEvent.Operation.UPDATE && !hasDocument;
        }
    }

    /** The header of a raw record; like {@link #parse}, a {@link ChangeEventException} names a part at fault. */
    public static Header header(byte[] key, byte[] value) {
        Envelope fast = value == null ? null : Envelope.read(value);
        if (fast == null) {
            ChangeEvent event = parse(key, value);
            return new Header(event.sourceId(), event.operation(), event.after() != null);
        }
        ChangeEvent.Operation operation = operation(fast);
        return new Header(sourceId(key), operation, hasDocument(operation, fast));
    }

    private static ChangeEvent.Operation operation(Envelope envelope) {
        return switch (envelope.op) {
            case "r" -> ChangeEvent.Operation.READ;
            case "c" -> ChangeEvent.Operation.CREATE;
            case "u" -> ChangeEvent.Operation.UPDATE;
            default -> ChangeEvent.Operation.DELETE;
        };
    }

    private static boolean hasDocument(ChangeEvent.Operation operation, Envelope envelope) {
        return !(operation == ChangeEvent.Operation.DELETE
                || operation == ChangeEvent.Operation.UPDATE && envelope.after == null);
    }

    private static ChangeEvent fromEnvelope(BsonValue sourceId, Envelope envelope) {
        ChangeEvent.Operation operation = operation(envelope);
        BsonDocument after = hasDocument(operation, envelope) ? after(new BsonString(envelope.after)) : null;
        SourcePosition position = SourcePosition.ofDebezium(envelope.tsMs, envelope.ord);
        return new ChangeEvent(sourceId, operation, after,
                operation == ChangeEvent.Operation.READ ? snapshotReadPosition(position) : position);
    }

    /** The {@code _id} in a raw key; an id that is not JSON is taken as a string. */
    public static BsonValue sourceId(byte[] key) {
        BsonDocument document = json("key", key);
        BsonValue id = document.get("id");
        if (id == null || !id.isString()) {
            throw new ChangeEventException("key", "expected {\"id\": \"<extended JSON of _id>\"}, got " + document.toJson(), null);
        }
        try {
            return BsonDocument.parse("{\"id\": " + id.asString().getValue() + "}").get("id");
        } catch (RuntimeException notJson) {
            return new BsonString(id.asString().getValue());
        }
    }

    private static BsonDocument json(String part, byte[] bytes) {
        if (bytes == null) {
            throw new ChangeEventException(part, "is missing (null)", null);
        }
        try {
            return BsonDocument.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new ChangeEventException(part, "is not a JSON object: " + e.getMessage(), e);
        }
    }

    private static ChangeEvent.Operation operation(BsonDocument envelope) {
        BsonValue op = envelope.get("op");
        String code = op != null && op.isString() ? op.asString().getValue() : String.valueOf(op);
        return switch (code) {
            case "r" -> ChangeEvent.Operation.READ;
            case "c" -> ChangeEvent.Operation.CREATE;
            case "u" -> ChangeEvent.Operation.UPDATE;
            case "d" -> ChangeEvent.Operation.DELETE;
            default -> throw new ChangeEventException("op", "expected r, c, u or d, got " + code, null);
        };
    }

    /**
     * An update whose document was deleted before the change stream looked it up: Debezium sends it with
     * {@code after: null}. It says nothing about the document; the delete that follows it in the stream does.
     */
    private static boolean vanished(ChangeEvent.Operation operation, BsonDocument envelope) {
        return operation == ChangeEvent.Operation.UPDATE && envelope.isNull("after");
    }

    private static BsonDocument after(BsonDocument envelope) {
        return after(envelope.get("after"));
    }

    private static BsonDocument after(BsonValue after) {
        if (after == null || !after.isString()) {
            throw new ChangeEventException("after", "expected the document as extended JSON text, got " + after, null);
        }
        BsonDocument fast = StrictJson.document(after.asString().getValue());
        if (fast != null) {
            return fast;
        }
        try {
            return BsonDocument.parse(after.asString().getValue());
        } catch (RuntimeException e) {
            throw new ChangeEventException("after", "is not extended JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Seconds a snapshot read's position is set back (see {@link #snapshotReadPosition}): covers clock skew between
     * the capture host, whose clock stamps snapshot reads, and the source primary, whose clock stamps changes.
     */
    static final int SNAPSHOT_SKEW_SECONDS = 300;

    /**
     * The position of a snapshot read. Debezium stamps it with the capture host's wall clock at read time and
     * {@code ord = -1}, which as a position would rank above every change made in that second, so the sink would
     * refuse those changes as stale and lose them. Every change streamed after a snapshot carries the document as it
     * was looked up after the snapshot, so it must supersede the read: the read is placed before any change that can
     * follow it (its second minus {@value #SNAPSHOT_SKEW_SECONDS} s for clock skew, increment 0). A later re-snapshot
     * still ranks above changes streamed before it.
     */
    static SourcePosition snapshotReadPosition(SourcePosition stamped) {
        return SourcePosition.of(Math.max(0, stamped.seconds() - SNAPSHOT_SKEW_SECONDS), 0);
    }

    private static SourcePosition position(BsonDocument envelope) {
        BsonValue source = envelope.get("source");
        if (source == null || !source.isDocument()) {
            throw new ChangeEventException("source", "expected an object with ts_ms and ord, got " + source, null);
        }
        return SourcePosition.ofDebezium(number(source.asDocument(), "ts_ms"), number(source.asDocument(), "ord"));
    }

    private static long number(BsonDocument source, String field) {
        BsonValue value = source.get(field);
        if (value == null || !value.isNumber()) {
            throw new ChangeEventException("source", "expected a number in source." + field + ", got " + value, null);
        }
        return value.asNumber().longValue();
    }
    /**
     * The parts of an envelope the transform uses, read without building a document: {@code op} (r, c, u or d),
     * {@code after} (its text, or null for JSON null) and {@code source.ts_ms}/{@code source.ord}. {@link #read}
     * returns null for anything else (a part missing or of another type, a key starting with {@code $}, which the
     * document reader would take as extended JSON, a number that is not a plain integer, trailing content, JSON the
     * streaming reader does not accept), and the caller reads the record the slow way.
     */
    private static final class Envelope {
        private String op;
        private String after;
        private boolean hasAfter;
        private Long tsMs;
        private Long ord;

        static Envelope read(byte[] value) {
            if (value.length == 0 || value[0] != '{') {
                return null;
            }
            try (JsonParser parser = JSON.createParser(value)) {
                Envelope envelope = new Envelope();
                if (parser.nextToken() != JsonToken.START_OBJECT || !envelope.readTop(parser)
                        || parser.nextToken() != null) {
                    return null;
                }
                return envelope.complete() ? envelope : null;
            } catch (IOException | RuntimeException unusual) {
                return null;
            }
        }

        /** A delete needs no {@code after}, an update may have a null one (vanished), a read or insert a text. */
        private boolean complete() {
            boolean afterFits = switch (op == null ? "" : op) {
                case "d" -> true;
                case "u" -> hasAfter;
                case "r", "c" -> after != null;
                default -> false;
            };
            return afterFits && tsMs != null && ord != null;
        }

        private boolean readTop(JsonParser parser) throws IOException {
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
                String name = parser.currentName();
                if (token != JsonToken.FIELD_NAME || name.startsWith("$")) {
                    return false;
                }
                JsonToken valueToken = parser.nextToken();
                boolean read = switch (name) {
                    case "op" -> valueToken == JsonToken.VALUE_STRING && (op = parser.getText()) != null;
                    case "after" -> readAfter(parser, valueToken);
                    case "source" -> valueToken == JsonToken.START_OBJECT && readSource(parser);
                    default -> skip(parser, valueToken);
                };
                if (!read) {
                    return false;
                }
            }
            return true;
        }

        private boolean readAfter(JsonParser parser, JsonToken token) throws IOException {
            hasAfter = true;
            if (token == JsonToken.VALUE_NULL) {
                after = null;
                return true;
            }
            after = parser.getText();
            return token == JsonToken.VALUE_STRING;
        }

        private boolean readSource(JsonParser parser) throws IOException {
            tsMs = null;
            ord = null;
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
                String name = parser.currentName();
                if (token != JsonToken.FIELD_NAME || name.startsWith("$")) {
                    return false;
                }
                JsonToken valueToken = parser.nextToken();
                if (name.equals("ts_ms") || name.equals("ord")) {
                    Long number = plainInteger(parser, valueToken);
                    if (number == null) {
                        return false;
                    }
                    if (name.equals("ts_ms")) {
                        tsMs = number;
                    } else {
                        ord = number;
                    }
                } else if (!skip(parser, valueToken)) {
                    return false;
                }
            }
            return true;
        }

        private static Long plainInteger(JsonParser parser, JsonToken token) throws IOException {
            return token == JsonToken.VALUE_NUMBER_INT && fitsLong(parser) ? parser.getLongValue() : null;
        }

        /** Integers beyond 64 bits are left to the document reader, whose number types decide what they become. */
        private static boolean fitsLong(JsonParser parser) throws IOException {
            return parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
        }

        /**
         * Skips a value (Debezium's {@code ts_ns}, {@code updateDescription}, ...); false if it holds a key starting
         * with {@code $} or an integer beyond 64 bits (read the slow way).
         */
        private static boolean skip(JsonParser parser, JsonToken token) throws IOException {
            if (token == JsonToken.VALUE_NUMBER_INT) {
                return fitsLong(parser);
            }
            if (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY) {
                return token != null && token.isScalarValue();
            }
            int depth = 1;
            while (depth > 0) {
                JsonToken next = parser.nextToken();
                if (next == null) {
                    return false;
                }
                if (next == JsonToken.START_OBJECT || next == JsonToken.START_ARRAY) {
                    depth++;
                } else if (next == JsonToken.END_OBJECT || next == JsonToken.END_ARRAY) {
                    depth--;
                } else if (next == JsonToken.FIELD_NAME && parser.currentName().startsWith("$")
                        || next == JsonToken.VALUE_NUMBER_INT && !fitsLong(parser)) {
                    return false;
                }
            }
            return true;
        }
    }
    /**
     * Reads {@code after} as Debezium writes it (the bson library's strict extended JSON: plain strings, booleans,
     * nulls, 32- and 64-bit integers, doubles, {@code $oid}, {@code $date} in milliseconds, {@code $numberLong},
     * generic {@code $binary}) with the streaming JSON reader, giving the very document {@code BsonDocument.parse}
     * gives, at a fraction of its cost. {@link #document} returns null for anything else (another extended JSON
     * type, a key starting with {@code $} outside those wrappers, an integer beyond 64 bits, JSON the streaming reader
     * does not accept), and the caller parses the text with {@code BsonDocument.parse} as before.
     */
    private static final class StrictJson {
        private static final String GENERIC_BINARY = "00";

        private StrictJson() {
        }

        static BsonDocument document(String json) {
            try (JsonParser parser = JSON.createParser(json)) {
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    return null;
                }
                BsonValue document = object(parser);
                return document instanceof BsonDocument d && parser.nextToken() == null ? d : null;
            } catch (IOException | RuntimeException unusual) {
                return null;
            }
        }

        /** After START_OBJECT: a plain document, or one of the wrappers; null if neither. */
        private static BsonValue object(JsonParser parser) throws IOException {
            JsonToken token = parser.nextToken();
            BsonDocument document = new BsonDocument();
            if (token == JsonToken.FIELD_NAME && parser.currentName().startsWith("$")) {
                return wrapper(parser);
            }
            for (; token != JsonToken.END_OBJECT; token = parser.nextToken()) {
                String name = parser.currentName();
                if (token != JsonToken.FIELD_NAME || name.startsWith("$")) {
                    return null;
                }
                BsonValue value = value(parser, parser.nextToken());
                if (value == null) {
                    return null;
                }
                document.put(name, value);
            }
            return document;
        }

        private static BsonValue value(JsonParser parser, JsonToken token) throws IOException {
            if (token == null) {
                return null;
            }
            return switch (token) {
                case START_OBJECT -> object(parser);
                case START_ARRAY -> array(parser);
                case VALUE_STRING -> new BsonString(parser.getText());
                case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                    case INT -> new BsonInt32(parser.getIntValue());
                    case LONG -> new BsonInt64(parser.getLongValue());
                    default -> null;
                };
                case VALUE_NUMBER_FLOAT -> new BsonDouble(Double.parseDouble(parser.getText()));
                case VALUE_TRUE -> BsonBoolean.TRUE;
                case VALUE_FALSE -> BsonBoolean.FALSE;
                case VALUE_NULL -> BsonNull.VALUE;
                default -> null;
            };
        }

        private static BsonValue array(JsonParser parser) throws IOException {
            BsonArray array = new BsonArray();
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                BsonValue value = value(parser, token);
                if (value == null) {
                    return null;
                }
                array.add(value);
            }
            return array;
        }

        /** At the first field name of an object whose first key starts with {@code $}. */
        private static BsonValue wrapper(JsonParser parser) throws IOException {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            BsonValue value = switch (name) {
                case "$oid" -> token == JsonToken.VALUE_STRING ? new BsonObjectId(new ObjectId(parser.getText())) : null;
                case "$date" -> token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                        ? new BsonDateTime(parser.getLongValue()) : null;
                case "$numberLong" -> token == JsonToken.VALUE_STRING ? new BsonInt64(Long.parseLong(parser.getText())) : null;
                case "$binary" -> token == JsonToken.VALUE_STRING ? binary(parser) : null;
                default -> null;
            };
            return value != null && parser.nextToken() == JsonToken.END_OBJECT ? value : null;
        }

        /** {@code {"$binary": "<base64>", "$type": "00"}}, padded base64; other subtypes are left to the slow way. */
        private static BsonValue binary(JsonParser parser) throws IOException {
            String base64 = parser.getText();
            if (base64.length() % 4 != 0 || parser.nextToken() != JsonToken.FIELD_NAME
                    || !parser.currentName().equals("$type") || parser.nextToken() != JsonToken.VALUE_STRING
                    || !parser.getText().equals(GENERIC_BINARY)) {
                return null;
            }
            return new BsonBinary(Base64.getDecoder().decode(base64));
        }
    }
}
