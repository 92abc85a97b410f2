package io.changeover.control.cutover;

import java.time.Duration;
import java.util.function.Supplier;

/** A stage's time limit, and the bounded poll loop stages wait with. */
public final class Deadline {
    private final long end;
    private final Duration timeout;
    private final long startedAt = System.nanoTime();

    public Deadline(Duration timeout) {
        this.timeout = timeout;
        this.end = System.nanoTime() + timeout.toNanos();
    }

    public boolean passed() {
        return System.nanoTime() > end;
    }

    public Duration timeout() {
        return timeout;
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startedAt) / 1e9;
    }

    /**
     * Polls until {@code check} returns null (done); a non-null value is what is still missing, quoted in the abort
     * when the deadline passes. {@code guard} aborts early (a pipeline stage failed).
     */
    public void await(Duration poll, Supplier<String> check, Runnable guard, String what) {
        while (true) {
            guard.run();
            String missing = check.get();
            if (missing == null) {
                return;
            }
            if (passed()) {
                throw new CutoverAbort("timed out after " + timeout.toSeconds() + " s " + what + ": " + missing);
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CutoverAbort("interrupted " + what);
            }
        }
    }
}
