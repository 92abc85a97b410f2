package io.changeover.control.status;

/**
 * How fast changes enter and leave the pipeline, over a window of recent measurements (docs/lag.md). Pure.
 *
 * @param sourcePerSecond  source changes captured per second (streamed changes; snapshot reads are not source changes)
 * @param appliedPerSecond changes that left the pipeline (applied to the target) per second: what entered minus what
 *                         the lag grew by, so it is in the same units as lag in changes
 * @param windowSeconds    the span the rates are measured over; 0 when there is no earlier measurement
 */
public record Flow(double sourcePerSecond, double appliedPerSecond, double windowSeconds) {
    public static final Flow UNKNOWN = new Flow(-1, -1, 0);
    /** Reported as time to zero when it cannot be estimated (no rates yet, or falling behind). */
    public static final double NO_ESTIMATE = -1;

    /**
     * What entered and what was pending at one measurement, for one collection or all.
     *
     * @param entered  records that entered the pipeline so far (snapshot reads and streamed changes)
     * @param streamed streamed changes so far (the source's own writes)
     * @param pending  changes captured and not yet applied
     */
    public record Counts(long entered, long streamed, long pending) {
        public static final Counts ZERO = new Counts(0, 0, 0);

        public Counts plus(Counts o) {
            return new Counts(entered + o.entered, streamed + o.streamed, pending + o.pending);
        }
    }

    /** The flow between two measurements {@code seconds} apart; {@link #UNKNOWN} when no time passed. */
    public static Flow between(Counts before, Counts after, double seconds) {
        if (seconds <= 0) {
            return UNKNOWN;
        }
        double source = Math.max(0, after.streamed - before.streamed) / seconds;
        double left = (after.entered - after.pending) - (before.entered - before.pending);
        return new Flow(source, Math.max(0, left) / seconds, seconds);
    }

    public boolean known() {
        return windowSeconds > 0;
    }

    /** Whether lag cannot fall at these rates: changes are pending and the source writes at least as fast as they are applied. */
    public boolean fallingBehind(long pending) {
        return pending > 0 && known() && appliedPerSecond <= sourcePerSecond;
    }

    /**
     * Estimated seconds until lag is zero: {@code pending / (applied - source)}; 0 when nothing is pending;
     * {@link #NO_ESTIMATE} when the rates are unknown or the pipeline is {@linkplain #fallingBehind falling behind}.
     */
    public double secondsToZero(long pending) {
        if (pending <= 0) {
            return 0;
        }
        if (!known() || fallingBehind(pending)) {
            return NO_ESTIMATE;
        }
        return pending / (appliedPerSecond - sourcePerSecond);
    }
}
