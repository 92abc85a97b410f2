package io.changeover.demo.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * @param size          source documents
 * @param seed          seed of the data and the writers
 * @param rates         streaming writer rates, changes per second
 * @param streamSeconds seconds per streaming rate
 * @param json          where the JSON report goes
 * @param spec          a spec file written like the demo's (placeholders for the servers' addresses), or null for the
 *                      demo's own spec
 * @param warmupSeconds least seconds of warm-up (the mix and the re-key workload) before the measured phases; it goes
 *                      on until the JIT compilers settle (0: none)
 * @param rekeyRate     changes per second of the re-key phase after the mix phases (0: none)
 */
public record BenchOptions(int size, long seed, List<Double> rates, int streamSeconds, Path json, Path spec,
                           int warmupSeconds, double rekeyRate) {
}
