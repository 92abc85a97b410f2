package io.changeover.transform.stream;

import java.nio.charset.StandardCharsets;

import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

import io.changeover.transform.format.SourcePosition;

/**
 * Reads raw records written by capture (format in {@code docs/topics.md}): key {@code {"id": "<ejson of _id>"}},
 * value Debezium's MongoDB envelope as JSON with {@code op}, {@code after} (canonical extended JSON text) and
 * {@code source.ts_ms} / {@code source.ord}. Any problem is a {@link ChangeEventException} naming the part at fault.
 */
public final class ChangeEventParser {
    private ChangeEventParser() {
    }

    public static ChangeEvent parse(byte[] key, byte[] value) {
        BsonValue sourceId = sourceId(key);
        BsonDocument envelope = json("value", value);
        ChangeEvent.Operation operation = operation(envelope);
        BsonDocument after = operation == ChangeEvent.Operation.DELETE || vanished(operation, envelope) ? null : after(envelope);
        SourcePosition position = position(envelope);
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
        BsonValue after = envelope.get("after");
        if (after == null || !after.isString()) {
            throw new ChangeEventException("after", "expected the document as extended JSON text, got " + after, null);
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
}
