package io.changeover.control.lag;

import io.changeover.transform.format.SourcePosition;

/**
 * Lag in seconds: the age, in source time, of the oldest change held. Pure. Positions are cluster times with
 * one-second resolution, so an age is whole seconds; it is never 0 while a change is held (at least
 * {@value #HELD_MINIMUM} s) and never older than its own position (a position is the source's own clock, so an age
 * is at most the time the source has existed; an unknown position is reported as unknown, not as that).
 */
public final class LagAge {
    /** The age of a change held within the source's current second. */
    public static final double HELD_MINIMUM = 0.001;
    /** Reported when changes are held but the oldest one's position is not known. */
    public static final double UNKNOWN = -1;

    private LagAge() {
    }

    /**
     * @param now      the source's latest cluster time
     * @param backlog  the changes held
     * @param internal records of the transform's internal topics held for the same collection (their positions are
     *                 not read: they only make the age at least {@link #HELD_MINIMUM})
     * @return seconds; 0 when nothing is held, {@link #UNKNOWN} when the oldest change's position is unknown
     */
    public static double seconds(SourcePosition now, Backlog backlog, long internal) {
        if (backlog.empty()) {
            return internal > 0 ? HELD_MINIMUM : 0;
        }
        if (backlog.oldestUnknown()) {
            return UNKNOWN;
        }
        return Math.max(HELD_MINIMUM, between(backlog.oldest(), now));
    }

    /** Seconds from {@code earlier} to {@code later}; 0 when {@code later} is not after it. */
    public static double between(SourcePosition earlier, SourcePosition later) {
        if (later.compareTo(earlier) <= 0) {
            return 0;
        }
        return Integer.toUnsignedLong(later.seconds()) - Integer.toUnsignedLong(earlier.seconds());
    }
}
