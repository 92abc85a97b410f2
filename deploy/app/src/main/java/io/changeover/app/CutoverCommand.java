package io.changeover.app;

import io.changeover.stages.SpecOption;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.changeover.control.cutover.CommandFenceHook;
import io.changeover.control.cutover.CutoverContext;
import io.changeover.control.cutover.CutoverContexts;
import io.changeover.control.cutover.CutoverController;
import io.changeover.control.cutover.CutoverOptions;
import io.changeover.control.cutover.CutoverResult;
import io.changeover.control.cutover.FenceHook;
import io.changeover.control.state.MigrationStateMachine;
import io.changeover.control.status.StatusSources;
import io.changeover.transform.spec.MigrationSpec;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Cuts a running migration over, in explicit stages; see docs/cutover.md. */
@Command(name = "cutover", description = "Cut over a running migration: lag gate, optional hold, fence, final verification,"
        + " record. Exit 0 when cut over, 2 when aborted (the source stays writable, the pipeline keeps running).")
final class CutoverCommand implements Callable<Integer> {
    @Mixin
    SpecOption spec;

    @Mixin
    ThresholdOptions threshold;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Fence fence;

    @Option(names = "--unfence-command", description = "Shell command that lets the services write again; runs when a cutover aborts after the fence.")
    String unfenceCommand;

    @Option(names = "--hold-file", description = "Hold before the fence while this file exists (`rm` it to release).")
    Path holdFile;

    @Option(names = "--lag-timeout", defaultValue = "300", description = "Seconds the lag gate may wait (default ${DEFAULT-VALUE}).")
    long lagTimeout;

    @Option(names = "--hold-timeout", defaultValue = "3600", description = "Seconds the hold may last (default ${DEFAULT-VALUE}).")
    long holdTimeout;

    @Option(names = "--fence-timeout", defaultValue = "120",
            description = "Seconds for the fence command plus the wait until the target has every write before the fence (default ${DEFAULT-VALUE}).")
    long fenceTimeout;

    @Option(names = "--verify-timeout", defaultValue = "600", description = "Seconds the final verification may take (default ${DEFAULT-VALUE}).")
    long verifyTimeout;

    @Option(names = "--full-verify",
            description = "Verify every document, even when an earlier full verification allows verifying only the documents changed since.")
    boolean fullVerify;

    @Option(names = "--dry-run", description = "Print the stages and whether each could pass now; change nothing.")
    boolean dryRun;

    /** How application writes are stopped: the operator's command, or the operator's statement that they are. */
    static final class Fence {
        @Option(names = "--fence-command", required = true,
                description = "Shell command that stops the services' writes to the source and exits 0 once they have stopped.")
        String command;

        @Option(names = "--writes-stopped", required = true,
                description = "The services' writes to the source are already stopped (no fence command).")
        boolean writesStopped;
    }

    @Override
    public Integer call() {
        MigrationSpec migration = spec.load();
        CutoverOptions options = CutoverOptions.defaults().withThreshold(threshold.threshold()).withHoldFile(holdFile)
                .withAllowDeadLetters(threshold.allowDeadLetters).withFullVerification(fullVerify)
                .withTimeouts(Duration.ofSeconds(lagTimeout), Duration.ofSeconds(holdTimeout), Duration.ofSeconds(fenceTimeout),
                        Duration.ofSeconds(verifyTimeout));
        FenceHook hook = fence.command != null
                ? new CommandFenceHook(fence.command, unfenceCommand, migration.name(), Duration.ofSeconds(fenceTimeout))
                : FenceHook.WRITES_ALREADY_STOPPED;
        try (StatusSources sources = StatusSources.remote(migration, threshold.readiness())) {
            CutoverContext context = CutoverContexts.remote(migration, sources, hook, options);
            CutoverController controller = new CutoverController(context,
                    MigrationStateMachine.open(sources.stateStore(), Clock.systemUTC()), System.out);
            if (dryRun) {
                controller.dryRun();
                return 0;
            }
            CutoverResult result = controller.run();
            return result.cutOver() ? 0 : 2;
        }
    }
}
