package io.changeover.app;

import java.util.concurrent.Callable;

import io.changeover.demo.DemoOptions;
import io.changeover.demo.DemoRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Migrates a live sample database end to end in this JVM and verifies the result. */
@Command(name = "demo", description = "Migrate a live sample database end to end in one JVM (embedded Kafka and"
        + " MongoDB), with a writer running throughout; then cut over: the fence stops the writer, the target catches up,"
        + " every document is verified.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--size", defaultValue = "20000", description = "Sample jobs loaded into the source (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--rate", defaultValue = "200", description = "Writer changes per second while the migration runs (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the sample data and the writer (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--write-seconds", defaultValue = "10",
            description = "Seconds the writer keeps writing after the snapshot is done (default ${DEFAULT-VALUE}).")
    int writeSeconds;

    @Option(names = "--timeout-seconds", defaultValue = "300",
            description = "Longest wait for the snapshot and for zero lag before the demo gives up (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--status-port", defaultValue = "0",
            description = "Port of the status endpoint on 127.0.0.1: 0 picks a free one, -1 serves none (default ${DEFAULT-VALUE}).")
    int statusPort;

    @Option(names = "--target", description = "Where the demo migrates to: mongodb (an in-JVM MongoDB) or postgres"
            + " (normalized tables of a PostgreSQL server of its own, started with initdb; needs PostgreSQL installed)"
            + " (default: mongodb, postgres for --source postgres).")
    String target;

    @Option(names = "--source", defaultValue = "mongodb", description = "What the demo migrates from: mongodb (sample"
            + " jobs in an in-JVM MongoDB) or postgres (a data registry in a PostgreSQL server of its own whose integer"
            + " ids become UUIDs with every foreign key rewritten; needs PostgreSQL installed) (default ${DEFAULT-VALUE}).")
    String source;

    @Override
    public Integer call() throws Exception {
        if (size < 1 || rate <= 0 || writeSeconds < 0 || timeoutSeconds < 1) {
            System.err.println("demo: --size and --timeout-seconds must be at least 1, --rate positive, --write-seconds not negative");
            return 64;
        }
        String into = target != null ? target : source.equals("postgres") ? "postgres" : "mongodb";
        for (String[] option : new String[][] {{"--target", into}, {"--source", source}}) {
            if (!option[1].equals("mongodb") && !option[1].equals("postgres")) {
                System.err.println("demo: " + option[0] + " must be mongodb or postgres, not '" + option[1] + "'");
                return 64;
            }
        }
        return new DemoRun(new DemoOptions(size, rate, seed, writeSeconds, timeoutSeconds, statusPort, into, source),
                System.out).call();
    }
}
