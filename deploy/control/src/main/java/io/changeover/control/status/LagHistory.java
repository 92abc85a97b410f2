package io.changeover.control.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lag samples a running migration keeps, so the operator page shows full charts when it opens and rates are
 * smoothed over a window: at most one sample per {@code resolution}, for {@code retention}. Thread-safe.
 */
public final class LagHistory {
    /** Samples kept one per this span at most. */
    public static final Duration RESOLUTION = Duration.ofSeconds(2);
    /** How long samples are kept. */
    public static final Duration RETENTION = Duration.ofHours(1);
    /** The window rates are smoothed over. */
    public static final Duration RATE_WINDOW = Duration.ofSeconds(30);
    private final Duration resolution;
    private final Duration retention;
    private final Deque<Sample> samples = new ArrayDeque<>();

    /**
     * One measurement.
     *
     * @param at       when it was measured
     * @param overall  lag over all collections
     * @param snapshot fraction of the snapshot done over all collections, 0..1 (1 when done)
     * @param counts   per source collection, what entered and what is pending (for rates)
     * @param total    the same over all collections (an output topic two collections write is pending once)
     * @param consumed per stage, the records it has consumed so far (for its throughput)
     */
    public record Sample(Instant at, LagFigures overall, double snapshot, Map<String, Flow.Counts> counts,
                         Flow.Counts total, Map<String, Long> consumed) {
        public Sample {
            counts = Map.copyOf(counts);
            consumed = Map.copyOf(consumed);
        }
    }

    public LagHistory() {
        this(RESOLUTION, RETENTION);
    }

    public LagHistory(Duration resolution, Duration retention) {
        this.resolution = resolution;
        this.retention = retention;
    }

    /** Keeps {@code sample} unless the last one kept is less than the resolution older. */
    public synchronized void add(Sample sample) {
        Sample last = samples.peekLast();
        if (last != null && Duration.between(last.at(), sample.at()).compareTo(resolution) < 0) {
            return;
        }
        samples.addLast(sample);
        Instant oldest = sample.at().minus(retention);
        while (!samples.isEmpty() && samples.peekFirst().at().isBefore(oldest)) {
            samples.removeFirst();
        }
    }

    public synchronized List<Sample> samples() {
        return new ArrayList<>(samples);
    }

    /** The oldest sample kept at most {@code window} before {@code now} and before it: where a rate window starts. */
    public synchronized Optional<Sample> windowStart(Instant now, Duration window) {
        Instant from = now.minus(window);
        for (Sample s : samples) {
            if (!s.at().isBefore(from) && s.at().isBefore(now)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    public Duration resolution() {
        return resolution;
    }

    public Duration retention() {
        return retention;
    }
}
