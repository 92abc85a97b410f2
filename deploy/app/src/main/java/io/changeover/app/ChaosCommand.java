package io.changeover.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.changeover.demo.chaos.ChaosOptions;
import io.changeover.demo.chaos.ChaosRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The fault suite's longer form, for users (docs/processes.md): the demo's migration with every stage as its own
 * process on a local three-node Kafka cluster, faults injected at random for a while, then the verdict.
 */
@Command(name = "chaos", description = "Run the demo's migration as separate stage processes on a local 3-node Kafka"
        + " cluster while a writer writes, kill processes and a broker and stop the target at random for --minutes, then"
        + " verify: exit 0 when the target equals the spec applied to the source.")
final class ChaosCommand implements Callable<Integer> {
    @Option(names = "--minutes", defaultValue = "10", description = "Minutes of faults (default ${DEFAULT-VALUE}).")
    double minutes;

    @Option(names = "--size", defaultValue = "2000", description = "Sample jobs loaded first (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--rate", defaultValue = "50", description = "Writer changes per second (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the data, the writer and the faults (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--dir", description = "Directory for the cluster, the servers' data and every process's log"
            + " (default: a new temporary directory, kept).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("changeover-chaos");
        ChaosOptions options = new ChaosOptions(Duration.ofMillis((long) (minutes * 60_000)), size, rate, seed, work);
        return new ChaosRun(options, System.out).call();
    }
}
