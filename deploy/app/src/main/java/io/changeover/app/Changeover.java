package io.changeover.app;

import io.changeover.stages.CaptureCommand;
import io.changeover.stages.SinkCommand;
import io.changeover.stages.TransformCommand;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code changeover} command. {@code main} only parses the command line and runs the chosen command. */
@Command(name = "changeover", mixinStandardHelpOptions = true, version = "changeover 0.1.0",
        description = "Migrates a live MongoDB database to a refactored schema while its services keep writing.",
        subcommands = {RunCommand.class, StatusCommand.class, VerifyCommand.class, DemoCommand.class, BenchCommand.class,
                CutoverCommand.class, ReplayCommand.class, MigrateCommand.class, BaselineCommand.class,
                RepairCommand.class, PauseCommand.class, ConfigDocsCommand.class, CaptureCommand.class,
                TransformCommand.class, SinkCommand.class, ClusterCommand.class, ChaosCommand.class, CleanupCommand.class})
public final class Changeover implements Runnable {

    public static void main(String[] args) {
        int exit = new CommandLine(new Changeover()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(exit);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
