package io.changeover.sink;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounded exponential backoff with jitter for retriable target errors ({@link WriteErrors#isRetriable}). The delay
 * doubles from {@code initialMs} up to {@code maxMs}, each one drawn between half and all of that value (so sinks
 * restarting together do not retry in step); after {@code maxElapsedMs} of failing the last error is thrown.
 */
public final class RetryPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);

    private final long initialMs;
    private final long maxMs;
    private final long maxElapsedMs;
    private final Sleeper sleeper;

    /** How the policy waits; tests pass one that does not. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    public RetryPolicy(long initialMs, long maxMs, long maxElapsedMs) {
        this(initialMs, maxMs, maxElapsedMs, Thread::sleep);
    }

    RetryPolicy(long initialMs, long maxMs, long maxElapsedMs, Sleeper sleeper) {
        this.initialMs = initialMs;
        this.maxMs = maxMs;
        this.maxElapsedMs = maxElapsedMs;
        this.sleeper = sleeper;
    }

    /** The delay before retry number {@code attempt} (1 for the first retry), jitter included. */
    long delay(int attempt) {
        long ceiling = Math.min(maxMs, initialMs << Math.min(attempt - 1, 30));
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }

    /** Runs {@code write}, retrying it while it throws retriable errors, for at most {@code maxElapsedMs}. */
    public <T> T run(String what, Supplier<T> write) {
        long start = System.nanoTime();
        long waited = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                return write.get();
            } catch (RuntimeException e) {
                if (!WriteErrors.isRetriable(e)) {
                    throw e;
                }
                long elapsed = Math.max(waited, (System.nanoTime() - start) / 1_000_000);
                if (elapsed >= maxElapsedMs) {
                    throw new SinkWriteException(null, null, "gave up on " + what + " after " + attempt
                            + " attempt(s) over " + elapsed + " ms of retriable errors; last: " + e.getMessage(), e);
                }
                long delay = Math.min(delay(attempt), Math.max(1, maxElapsedMs - elapsed));
                LOG.warn("{} failed (attempt {}, retriable: {}); retrying in {} ms", what, attempt, e.getMessage(), delay);
                sleep(delay);
                waited += delay;
            }
        }
    }

    private void sleep(long delay) {
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkWriteException(null, null, "interrupted while waiting to retry a target write", e);
        }
    }
}
