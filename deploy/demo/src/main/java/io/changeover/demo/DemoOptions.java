package io.changeover.demo;

/**
 * The demo's knobs.
 *
 * @param size           sample jobs loaded before the migration starts
 * @param rate           writer changes per second
 * @param seed           seed of the data and the writer
 * @param writeSeconds   seconds the writer keeps going once the snapshot is done
 * @param timeoutSeconds longest wait for any one stage
 * @param statusPort     port of the status endpoint on loopback (0 picks a free one, -1 serves none)
 * @param target         {@code mongodb} (an in-JVM MongoDB) or {@code postgres} (a PostgreSQL server of its own)
 * @param source         {@code mongodb} (the sample jobs in an in-JVM MongoDB) or {@code postgres} (a data registry
 *                       in a PostgreSQL server of its own, its integer ids becoming UUIDs)
 */
public record DemoOptions(int size, double rate, long seed, int writeSeconds, int timeoutSeconds, int statusPort,
                          String target, String source) {
    public DemoOptions(int size, double rate, long seed, int writeSeconds, int timeoutSeconds, int statusPort) {
        this(size, rate, seed, writeSeconds, timeoutSeconds, statusPort, "mongodb", "mongodb");
    }

    public DemoOptions(int size, double rate, long seed, int writeSeconds, int timeoutSeconds, int statusPort,
                       String target) {
        this(size, rate, seed, writeSeconds, timeoutSeconds, statusPort, target, "mongodb");
    }
}
