package io.changeover.control.status;

/** Rates and estimates from two samples of a growing count. Pure functions. */
public final class Rates {
    private Rates() {
    }

    /** Units per second between two samples; -1 when there is no earlier sample or no time passed. */
    public static double perSecond(long before, long after, double seconds) {
        if (before < 0 || seconds <= 0) {
            return -1;
        }
        return Math.max(0, after - before) / seconds;
    }

    /** Seconds to work off {@code remaining} at {@code rate}: 0 when nothing remains, -1 when the rate is unknown or 0. */
    public static double secondsFor(long remaining, double rate) {
        if (remaining <= 0) {
            return 0;
        }
        return rate > 0 ? remaining / rate : -1;
    }
}
