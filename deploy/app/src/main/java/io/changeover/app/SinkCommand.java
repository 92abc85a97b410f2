package io.changeover.app;

import java.time.Duration;
import java.util.concurrent.Callable;

import io.changeover.sink.SinkRunner;
import io.changeover.transform.spec.MigrationSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * One instance of the sink of a migration as a process of its own (docs/processes.md). Instances share the output
 * topics' partitions through the sink's consumer group.
 */
@Command(name = "sink", description = "Run an instance of the sink of a migration as its own process until stopped"
        + " (Ctrl-C); instances share the work by partitions.")
final class SinkCommand implements Callable<Integer> {
    private static final Duration CHECK = Duration.ofSeconds(1);

    @Mixin
    SpecOption spec;

    @Override
    public Integer call() throws Exception {
        MigrationSpec migration = spec.load();
        StopSignal stop = StopSignal.onShutdown();
        try (SinkRunner sink = SinkRunner.start(migration)) {
            while (!stop.await(CHECK)) {
                if (sink.failure().isPresent()) {
                    System.err.println("sink failed: " + sink.failure().get().getMessage());
                    return 1;
                }
            }
            return 0;
        } finally {
            stop.done();
        }
    }
}
