package io.changeover.app;

import io.changeover.stages.SpecOption;

import java.io.PrintStream;
import java.util.concurrent.Callable;

import io.changeover.control.status.StatusJson;
import io.changeover.control.status.StatusReport;
import io.changeover.control.status.StatusSources;
import io.changeover.control.status.StatusText;
import io.changeover.transform.spec.MigrationSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Prints a migration's status, measured from Kafka, the source and the target's metadata (works from any host): the
 * state, snapshot progress, lag and throughput per stage, dead letters, whether cutover is allowed now.
 */
@Command(name = "status", description = "Print the migration's state, snapshot progress, lag and throughput per stage,"
        + " dead letters and whether cutover is allowed now.")
final class StatusCommand implements Callable<Integer> {
    private static final String CLEAR = "\033[H\033[2J";
    @Mixin
    SpecOption spec;

    @Mixin
    ThresholdOptions threshold;

    @Option(names = "--watch", description = "Refresh until Ctrl-C (in place on a terminal).")
    boolean watch;

    @Option(names = "--interval", defaultValue = "2", description = "Seconds between refreshes with --watch (default ${DEFAULT-VALUE}).")
    double interval;

    @Option(names = "--json", description = "Print the JSON the status endpoint serves.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        MigrationSpec migration = spec.load();
        PrintStream out = System.out;
        boolean terminal = System.console() != null;
        try (StatusSources sources = StatusSources.remote(migration, threshold.readiness())) {
            sources.collector().measure();
            Thread.sleep(1000);
            do {
                StatusReport report = sources.collector().measure();
                if (watch && terminal) {
                    out.print(CLEAR);
                }
                out.print(json ? StatusJson.render(report) + "\n" : StatusText.render(report));
                out.flush();
                if (watch) {
                    Thread.sleep((long) (Math.max(0.5, interval) * 1000));
                }
            } while (watch);
        }
        return 0;
    }
}
