package io.changeover.transform.format;

import java.nio.charset.StandardCharsets;

import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Ticks: records capture writes to every partition of every raw topic when the source's position moves on
 * (Debezium's heartbeats), so each partition's reader knows how far the source has got even when nothing in that
 * partition changes. A tick says: every change of this partition at or before {@code position} is already in the
 * topic. The transform uses it to end waits measured in source time and to tell a reference to a document that was
 * never written from one that has not arrived yet ({@code docs/topics.md}).
 *
 * <p>Format: key {@code null} (every change event has a key), value {@code {"tick": <position>, "partitions": <n>}}
 * where {@code position} is {@link SourcePosition#value()} and {@code n} the topic's partition count when written.
 */
public final class SourceTicks {
    private SourceTicks() {
    }

    /** A tick, as read back. */
    public record Tick(SourcePosition position, int partitions) {
    }

    /** True when a raw record is a tick rather than a change event. */
    public static boolean isTick(byte[] key, byte[] value) {
        return key == null && value != null;
    }

    public static byte[] value(SourcePosition position, int partitions) {
        return ("{\"tick\": " + position.value() + ", \"partitions\": " + partitions + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** Reads a tick's value; an {@link IllegalArgumentException} names what is wrong. */
    public static Tick read(byte[] value) {
        BsonDocument document;
        try {
            document = BsonDocument.parse(new String(value, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("a tick (raw record without a key) is not JSON: " + e.getMessage(), e);
        }
        BsonValue tick = document.get("tick");
        BsonValue partitions = document.get("partitions");
        if (tick == null || !tick.isNumber() || partitions == null || !partitions.isNumber()) {
            throw new IllegalArgumentException("a raw record without a key must be a tick {\"tick\": <position>, "
                    + "\"partitions\": <n>}, got " + document.toJson());
        }
        return new Tick(new SourcePosition(tick.asNumber().longValue()), partitions.asNumber().intValue());
    }
}
