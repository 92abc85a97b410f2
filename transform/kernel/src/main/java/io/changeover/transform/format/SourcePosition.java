package io.changeover.transform.format;

import org.bson.BsonTimestamp;

/**
 * A position in the source's operation log as one comparable long, seconds of source time in the high 32 bits. On
 * MongoDB the change's cluster time (increment in the low 32 bits, as {@link BsonTimestamp#getValue()}); on
 * PostgreSQL the commit time of the change's transaction ({@link #ofEpochMicros}: the microseconds of the second in
 * the low 32 bits, shifted left by 12).
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

    /**
     * A PostgreSQL commit time: seconds in the high 32 bits, the microsecond within the second (below 2^20) in bits
     * 12 to 31. Positions of changes of one transaction are equal, as on MongoDB.
     */
    public static SourcePosition ofEpochMicros(long epochMicros) {
        long seconds = Math.floorDiv(epochMicros, 1_000_000L);
        long micros = Math.floorMod(epochMicros, 1_000_000L);
        return new SourcePosition((seconds << 32) | (micros << 12));
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
        return "Timestamp(" + Integer.toUnsignedString(seconds()) + ", " + Integer.toUnsignedString(increment()) + ")";
    }
}
