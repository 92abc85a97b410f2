package io.changeover.stages;

import java.util.Map;
import java.util.concurrent.Callable;

import io.changeover.stages.metrics.StageMetrics;
import io.changeover.stages.metrics.StageMetricsServer;
import io.changeover.sink.SinkRunner;
import io.changeover.transform.spec.MigrationSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * One instance of the sink of a migration as a process of its own (docs/processes.md). Instances share the output
 * topics' partitions through the sink's consumer group.
 */
@Command(name = "sink", description = "Run an instance of the sink of a migration as its own process until stopped"
        + " (Ctrl-C); instances share the work by partitions.")
public final class SinkCommand implements Callable<Integer> {
    @Mixin
    SpecOption spec;

    @Option(names = "--metrics-port", defaultValue = "-1", description = "Serve this process's metrics (its own and its"
            + " Kafka clients') at http://127.0.0.1:PORT/metrics; 0 picks a free port, -1 (default) serves none.")
    int metricsPort;

    @Override
    public Integer call() throws Exception {
        MigrationSpec migration = spec.load();
        StopSignal stop = StopSignal.onShutdown();
        try (SinkRunner sink = SinkRunner.start(migration);
             StageMetricsServer metrics = metricsPort < 0 ? null : StageMetricsServer.start(metricsPort,
                     () -> StageMetrics.render(migration.name(), "sink", Map.of("up", 1), sink.kafkaMetrics()))) {
            return stop.awaitStopOrFailure("sink", sink::failure);
        } finally {
            stop.done();
        }
    }
}
