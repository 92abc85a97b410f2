package io.changeover.control.status;

import io.changeover.control.lag.LagAge;

/**
 * Lag of one collection, or of all, as status reports it (docs/lag.md).
 *
 * @param seconds age in source time of the oldest source change not yet applied to the target; 0 when none is,
 *                {@link LagAge#UNKNOWN} when not known
 * @param changes source changes captured and not yet applied
 * @param flow    source and applied changes per second over the rate window
 */
public record LagFigures(double seconds, long changes, Flow flow) {

    /**
     * Estimated seconds to zero lag; {@link Flow#NO_ESTIMATE} when unknown or falling behind, and while no change is
     * held but lag is not zero (the capture is behind, or its lag is unknown: what it has not captured is not counted).
     */
    public double timeToZeroSeconds() {
        if (changes == 0 && seconds != 0) {
            return Flow.NO_ESTIMATE;
        }
        return flow.secondsToZero(changes);
    }

    public boolean fallingBehind() {
        return flow.fallingBehind(changes);
    }
}
