package io.changeover.demo.chaos;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What a chaos run does.
 *
 * @param faults how long faults are injected
 * @param size   sample jobs loaded before the run
 * @param rate   writer changes per second
 * @param seed   seed of the data, the writer and the choice and timing of faults
 * @param dir    the cluster's, the servers' and every process's files
 */
public record ChaosOptions(Duration faults, int size, double rate, long seed, Path dir) {
}
