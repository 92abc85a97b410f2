package io.changeover.app;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.changeover.app.pipeline.Pipeline;
import io.changeover.app.progress.PipelineMonitor;
import io.changeover.app.progress.ProgressPrinter;
import io.changeover.transform.spec.MigrationSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs capture, transform and sink of one migration until stopped (Ctrl-C) or a stage fails. */
@Command(name = "run", description = "Run capture, transform and sink of a migration until stopped (Ctrl-C).")
final class RunCommand implements Callable<Integer> {
    @Mixin
    SpecOption spec;

    @Override
    public Integer call() throws Exception {
        MigrationSpec migration = spec.load();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "changeover-stop"));
        try (Pipeline pipeline = Pipeline.start(migration);
             PipelineMonitor monitor = PipelineMonitor.open(pipeline, ProgressPrinter.forStdout())) {
            while (stop.getCount() > 0) {
                monitor.refresh();
                if (pipeline.failure().isPresent()) {
                    System.err.println(pipeline.failure().get());
                    return 1;
                }
                stop.await(1, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
        return 0;
    }
}
