package io.changeover.stages;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The stage processes' own entry point: {@code java -jar changeover-stages.jar capture|transform|sink --spec FILE}.
 * Its class path holds the stages and their clients only; a migration's own Java steps are added to it by the user
 * (docs/processes.md). {@code main} only parses the command line and runs the chosen command.
 */
@Command(name = "changeover", mixinStandardHelpOptions = true, version = "changeover 0.1.0",
        description = "Runs one stage of a migration as a process of its own.",
        subcommands = {CaptureCommand.class, TransformCommand.class, SinkCommand.class})
public final class Stages implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Stages()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
