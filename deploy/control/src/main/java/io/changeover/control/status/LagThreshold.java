package io.changeover.control.status;

/**
 * How much lag still allows cutover to begin (the fence then waits for the rest to drain).
 *
 * @param maxEvents  records behind in transform and sink together
 * @param maxSeconds lag in seconds (the age of the oldest change not yet in the target)
 */
public record LagThreshold(long maxEvents, double maxSeconds) {
    public static final LagThreshold DEFAULT = new LagThreshold(1000, 5);

    public LagThreshold {
        if (maxEvents < 0 || maxSeconds < 0) {
            throw new IllegalArgumentException("lag threshold must not be negative: " + maxEvents + " records, " + maxSeconds + " s");
        }
    }

    public boolean admits(long events, double seconds) {
        return events <= maxEvents && seconds <= maxSeconds;
    }

    @Override
    public String toString() {
        return maxEvents + " records and " + maxSeconds + " s";
    }
}
