package io.changeover.capture;

import java.util.Map;
import java.util.Optional;

import io.changeover.transform.format.SourcePosition;

/**
 * Reads the source position from a Debezium MongoDB source offset ({@code sec}: cluster time seconds,
 * {@code ord}: increment). Change events and heartbeats both carry it, so the position keeps moving on an idle
 * source as the change stream's resume token advances.
 */
public final class SourcePositions {
    static final String SECONDS = "sec";
    static final String ORDER = "ord";

    private SourcePositions() {
    }

    /** The position in {@code offset}, or empty when it has no cluster time. */
    public static Optional<SourcePosition> fromOffset(Map<String, ?> offset) {
        if (offset == null || !(offset.get(SECONDS) instanceof Number sec)) {
            return Optional.empty();
        }
        int ord = offset.get(ORDER) instanceof Number n ? n.intValue() : 0;
        if (sec.longValue() == 0 && ord == 0) {
            return Optional.empty();
        }
        return Optional.of(SourcePosition.of(sec.intValue(), ord));
    }
}
