package io.changeover.stages;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Ctrl-C or SIGTERM for a long-running command: the shutdown hook asks the command to stop, then waits (up to
 * {@link #GRACE}) until it has closed its stages, so offsets and transactions are handed on before the JVM exits.
 */
public final class StopSignal {
    static final Duration GRACE = Duration.ofSeconds(30);
    private static final Duration CHECK = Duration.ofSeconds(1);
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);

    private StopSignal() {
    }

    public static StopSignal onShutdown() {
        StopSignal signal = new StopSignal();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            signal.stop.countDown();
            try {
                signal.done.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "changeover-stop"));
        return signal;
    }

    /** Waits up to {@code wait} for a stop; true once one was asked for. */
    public boolean await(Duration wait) throws InterruptedException {
        return stop.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean stopped() {
        return stop.getCount() == 0;
    }

    /**
     * Waits until a stop is asked for (0) or the stage fails (1, its error on stderr): the loop of a stage process.
     */
    public int awaitStopOrFailure(String stage, Supplier<Optional<Throwable>> failure) throws InterruptedException {
        while (!await(CHECK)) {
            Optional<Throwable> failed = failure.get();
            if (failed.isPresent()) {
                System.err.println(stage + " failed: " + failed.get().getMessage());
                return 1;
            }
        }
        return 0;
    }

    /** The command has closed what it ran: the JVM may exit. */
    public void done() {
        done.countDown();
    }
}
