package io.changeover.demo.bench;

import java.util.Arrays;

/** Collects latencies (microseconds) and reports percentiles. Thread-safe. */
final class LatencyRecorder {
    private long[] values = new long[1 << 16];
    private int count;

    synchronized void record(long micros) {
        if (count == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[count++] = micros;
    }

    synchronized int count() {
        return count;
    }

    /** The {@code p}-th percentile (0..100) in milliseconds; NaN with no samples. */
    synchronized double percentileMillis(double p) {
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * count) - 1;
        return sorted[Math.max(0, Math.min(count - 1, index))] / 1000.0;
    }

    synchronized double maxMillis() {
        return percentileMillis(100);
    }
}
