package io.changeover.control.cutover;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A fence hook that runs the operator's shell commands ({@code sh -c}): the fence command must stop application writes
 * and exit 0; the unfence command lets them resume. Both get {@code CHANGEOVER_MIGRATION} in their environment. A
 * non-zero exit or a timeout is a failure quoting the command's last output.
 */
public final class CommandFenceHook implements FenceHook {
    private static final int OUTPUT_TAIL = 500;
    private final String fenceCommand;
    private final String unfenceCommand;
    private final String migration;
    private final Duration timeout;

    public CommandFenceHook(String fenceCommand, String unfenceCommand, String migration, Duration timeout) {
        this.fenceCommand = fenceCommand;
        this.unfenceCommand = unfenceCommand;
        this.migration = migration;
        this.timeout = timeout;
    }

    @Override
    public void fence() throws IOException, InterruptedException {
        run(fenceCommand, "fence");
    }

    @Override
    public void unfence() throws IOException, InterruptedException {
        if (unfenceCommand == null) {
            throw new IllegalStateException("no unfence command was given (--unfence-command): let the services write again by hand");
        }
        run(unfenceCommand, "unfence");
    }

    @Override
    public String describe() {
        return "fence command `" + fenceCommand + "`" + (unfenceCommand == null ? ", no unfence command" : ", unfence command `" + unfenceCommand + "`");
    }

    private void run(String command, String what) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of("sh", "-c", command)).redirectErrorStream(true);
        builder.environment().put("CHANGEOVER_MIGRATION", migration);
        Process process = builder.start();
        process.getOutputStream().close();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the process went away; its exit code tells what happened
            }
        }, "changeover-" + what + "-hook-output");
        reader.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(what + " command `" + command + "` did not finish within " + timeout.toSeconds() + " s");
        }
        reader.join(1000);
        if (process.exitValue() != 0) {
            String out = output.toString().strip();
            String tail = out.length() > OUTPUT_TAIL ? "..." + out.substring(out.length() - OUTPUT_TAIL) : out;
            throw new IllegalStateException(what + " command `" + command + "` exited " + process.exitValue()
                    + (tail.isEmpty() ? "" : ": " + tail));
        }
    }
}
