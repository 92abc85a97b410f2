package io.changeover.demo.sample;

import java.util.function.LongSupplier;

/**
 * Spaces operations to a target rate by sleeping until each one is due (never spinning). A writer that fell behind
 * (a slow write) may catch up in a burst of at most one second's worth of operations, not more.
 */
final class Pacer {
    /** Sleeps for the given nanoseconds; returns false when woken to stop. */
    interface Sleeper {
        boolean sleep(long nanos) throws InterruptedException;
    }

    private static final long MAX_BACKLOG_NANOS = 1_000_000_000L;

    private final long intervalNanos;
    private final LongSupplier clock;
    private final Sleeper sleeper;
    private long nextDue;

    Pacer(double opsPerSecond, LongSupplier clock, Sleeper sleeper) {
        if (!(opsPerSecond > 0) || Double.isInfinite(opsPerSecond)) {
            throw new IllegalArgumentException("rate must be a positive number of operations per second, got "
                    + opsPerSecond);
        }
        this.intervalNanos = Math.max(1, Math.round(1e9 / opsPerSecond));
        this.clock = clock;
        this.sleeper = sleeper;
        this.nextDue = clock.getAsLong();
    }

    /** Waits until the next operation is due; false if the sleeper was woken to stop. */
    boolean awaitNext() throws InterruptedException {
        long now = clock.getAsLong();
        if (nextDue < now - MAX_BACKLOG_NANOS) {
            nextDue = now - MAX_BACKLOG_NANOS;
        }
        long wait = nextDue - now;
        nextDue += intervalNanos;
        return wait <= 0 || sleeper.sleep(wait);
    }
}
