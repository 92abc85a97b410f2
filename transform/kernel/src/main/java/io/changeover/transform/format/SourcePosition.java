package io.changeover.transform.format;

import org.bson.BsonTimestamp;

/**
 * A position in the source's operation log: the change's cluster time as one comparable long
 * (seconds in the high 32 bits, increment in the low 32 bits, as {@link BsonTimestamp#getValue()}).
 */
public record SourcePosition(long value) implements Comparable<SourcePosition> {
    public static final SourcePosition ZERO = new SourcePosition(0);

    public static SourcePosition of(int seconds, int increment) {
        return new SourcePosition(new BsonTimestamp(seconds, increment).getValue());
    }

    /** From Debezium's {@code source.ts_ms} (milliseconds) and {@code source.ord} (increment). */
    public static SourcePosition ofDebezium(long tsMs, long ord) {
        return of((int) (tsMs / 1000), (int) ord);
    }

    public int seconds() {
        return (int) (value >>> 32);
    }

    public int increment() {
        return (int) value;
    }

    public long epochMillis() {
        return seconds() * 1000L;
    }

    @Override
    public int compareTo(SourcePosition o) {
        return Long.compareUnsigned(value, o.value);
    }

    @Override
    public String toString() {
        return "Timestamp(" + seconds() + ", " + increment() + ")";
    }
}
