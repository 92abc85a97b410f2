package io.changeover.app;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.changeover.demo.bench.BenchOptions;
import io.changeover.demo.bench.BenchSeries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Measures Changeover against the copy limit and a one-off script, in one JVM on the embedded servers. */
@Command(name = "bench", description = "Benchmark: copy limit, script baseline, Changeover snapshot and streaming"
        + " latency, in one JVM on the embedded servers. Prints a table and writes JSON.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--size", defaultValue = "100000", description = "Source documents, about 1 KB each (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the data and the writers (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rates", split = ",", defaultValue = "1000,2000,5000",
            description = "Streaming writer rates, changes per second (default ${DEFAULT-VALUE}).")
    List<Double> rates;

    @Option(names = "--stream-seconds", defaultValue = "60", description = "Seconds per streaming rate (default ${DEFAULT-VALUE}).")
    int streamSeconds;

    @Option(names = "--json", defaultValue = "bench-result.json", description = "JSON report file (default ${DEFAULT-VALUE}).")
    Path json;

    @Option(names = "--spec", paramLabel = "FILE", description = "A spec written like the demo's (deploy/app/src/main/"
            + "resources/demo/demo-spec.yaml: ${source.uri}, ${target.uri}, ${kafka.bootstrap.servers} and ${work.dir} are"
            + " filled in) for the sample collections jobs and job_matrices. Default: the demo's spec.")
    Path spec;

    @Option(names = "--warmup-seconds", defaultValue = "10", description = "Least seconds of warm-up before the"
            + " measured phases (rounds of the realistic mix at the first rate and of the re-key workload, not measured),"
            + " which goes on until the JIT compilers use less than a tenth of a core, at most 5 minutes (default"
            + " ${DEFAULT-VALUE}; 0: none).")
    int warmupSeconds;

    @Option(names = "--rekey-rate", defaultValue = "1000", description = "Changes per second of the re-key phase after"
            + " the mix phases: updates of identity fields only, each moving its job and its children (default"
            + " ${DEFAULT-VALUE}; 0: none).")
    double rekeyRate;

    @Option(names = "--repeat", defaultValue = "1", description = "Whole runs; with more than one, the median of each"
            + " figure is printed and written (default ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--target", defaultValue = "mongodb", description = "mongodb (the full bench) or postgres (the demo's "
            + "migration into PostgreSQL tables, snapshot only, against a COPY of the same rows) (default ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--source", defaultValue = "mongodb", description = "mongodb, or postgres (the registry demo's"
            + " migration from PostgreSQL into PostgreSQL tables, snapshot only, against a server-to-server COPY of the"
            + " same rows; --size counts datasets) (default ${DEFAULT-VALUE}).")
    String source;

    @Override
    public Integer call() throws Exception {
        if (size < 1 || streamSeconds < 1 || repeat < 1 || warmupSeconds < 0 || rekeyRate < 0
                || rates.stream().anyMatch(r -> r <= 0)) {
            System.err.println("bench: --size, --stream-seconds and --repeat must be at least 1, every rate positive,"
                    + " --warmup-seconds and --rekey-rate not negative");
            return 64;
        }
        if (source.equals("postgres")) {
            return postgres(true);
        }
        if (!source.equals("mongodb")) {
            System.err.println("bench: --source must be mongodb or postgres, not '" + source + "'");
            return 64;
        }
        if (target.equals("postgres")) {
            return postgres(false);
        }
        if (!target.equals("mongodb")) {
            System.err.println("bench: --target must be mongodb or postgres, not '" + target + "'");
            return 64;
        }
        new BenchSeries(new BenchOptions(size, seed, rates, streamSeconds, json, spec, warmupSeconds, rekeyRate),
                repeat, System.out).call();
        return 0;
    }

    /** Snapshot runs from or into PostgreSQL; with --repeat, each run's line and then the median ratio. */
    private int postgres(boolean fromPostgres) throws Exception {
        java.util.List<Double> ratios = new java.util.ArrayList<>();
        for (int run = 1; run <= repeat; run++) {
            System.out.println("==> run " + run + " of " + repeat);
            ratios.add((fromPostgres ? new io.changeover.demo.bench.PostgresSourceBench(size, seed, System.out)
                    : new io.changeover.demo.bench.PostgresSnapshotBench(size, seed, System.out)).call().ratio());
        }
        java.util.Collections.sort(ratios);
        System.out.printf("postgres %s snapshot, median of %d run(s): %.3fx the COPY limit (runs %s)%n",
                fromPostgres ? "source" : "target", repeat, ratios.get(ratios.size() / 2), ratios);
        return 0;
    }
}
