package io.changeover.control.status;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures status on a schedule in the process running the pipeline, keeps the latest report for the HTTP endpoint
 * (so requests never measure) and hands each report to listeners (the state tracker).
 */
public final class StatusPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusPoller.class);
    private final StatusCollector collector;
    private final ScheduledExecutorService scheduler;
    private final List<Consumer<StatusReport>> listeners = new CopyOnWriteArrayList<>();
    private volatile StatusReport latest;
    private volatile String lastError;

    private StatusPoller(StatusCollector collector) {
        this.collector = collector;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "changeover-status");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts measuring every {@code periodMillis}. */
    public static StatusPoller start(StatusCollector collector, long periodMillis) {
        StatusPoller poller = new StatusPoller(collector);
        poller.scheduler.scheduleWithFixedDelay(poller::poll, 0, periodMillis, TimeUnit.MILLISECONDS);
        return poller;
    }

    public void onReport(Consumer<StatusReport> listener) {
        listeners.add(listener);
    }

    /** The latest report; throws (naming the cause) when none could be measured yet. */
    public StatusReport latest() {
        StatusReport r = latest;
        if (r == null) {
            throw new IllegalStateException(lastError == null ? "status not measured yet" : "status not available: " + lastError);
        }
        return r;
    }

    private void poll() {
        try {
            StatusReport report = collector.measure();
            latest = report;
            lastError = null;
            listeners.forEach(l -> l.accept(report));
        } catch (RuntimeException e) {
            lastError = e.getMessage();
            LOG.warn("cannot measure status", e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
