package io.changeover.stages;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import io.changeover.stages.metrics.StageMetrics;
import io.changeover.stages.metrics.StageMetricsServer;
import io.changeover.transform.TransformConfig;
import io.changeover.transform.TransformRunner;
import io.changeover.transform.spec.MigrationSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * One instance of the transform of a migration as a process of its own (docs/processes.md). Instances share the work
 * by raw partitions (one Kafka Streams application); each needs a state directory of its own.
 */
@Command(name = "transform", description = "Run an instance of the transform of a migration as its own process until"
        + " stopped (Ctrl-C); instances share the work by partitions.")
public final class TransformCommand implements Callable<Integer> {
    @Mixin
    SpecOption spec;

    @Option(names = "--metrics-port", defaultValue = "-1", description = "Serve this process's metrics (its own and its"
            + " Kafka clients') at http://127.0.0.1:PORT/metrics; 0 picks a free port, -1 (default) serves none.")
    int metricsPort;

    @Option(names = "--state-dir", description = "This instance's state directory (overrides the spec's"
            + " transform.state.dir; two instances on one host need two).")
    String stateDir;

    @Override
    public Integer call() throws Exception {
        MigrationSpec migration = spec.load();
        Map<String, Object> settings = new HashMap<>(migration.transform());
        if (stateDir != null) {
            settings.put(TransformConfig.STATE_DIR, stateDir);
        }
        StopSignal stop = StopSignal.onShutdown();
        try (TransformRunner transform = TransformRunner.start(migration, new TransformConfig(settings));
             StageMetricsServer metrics = metricsPort < 0 ? null : StageMetricsServer.start(metricsPort,
                     () -> StageMetrics.render(migration.name(), "transform", Map.of("up", 1), transform.streams().metrics()))) {
            return stop.awaitStopOrFailure("transform", transform::failure);
        } finally {
            stop.done();
        }
    }
}
