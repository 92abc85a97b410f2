package io.changeover.demo.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One stage of a migration running as its own process, as users run it: {@code java -cp changeover-stages.jar:STEPS
 * io.changeover.stages.Stages <stage> --spec FILE ...} (what {@code deploy/changeover <stage>} runs), its log in a
 * directory of its own. {@link #kill()} is SIGKILL: no shutdown hook, no close, no commit.
 */
public final class StageProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private StageProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * @param classpath the stages jar and the migration's steps
     * @param logDir    where its output ({@code <name>.out}) and log ({@code <name>/changeover.log}) go
     * @param arguments the command and its options
     */
    public static StageProcess start(StageClasspath classpath, String name, Path logDir, List<String> arguments)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx320m", "-XX:+UseSerialGC", "-Dchangeover.log.dir=" + logDir.resolve(name).toAbsolutePath()));
        command.addAll(classpath.javaArguments());
        command.addAll(arguments);
        Files.createDirectories(logDir);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logDir.resolve(name + ".out").toFile()).start();
        return new StageProcess(name, process, logDir.resolve(name).resolve("changeover.log"));
    }

    public String name() {
        return name;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL, and waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** The last lines of its log, to explain a failure. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return name + " (" + (alive() ? "running" : "exit " + process.exitValue()) + "):\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return name + ": no log (" + e.getMessage() + ")";
        }
    }

    /** SIGTERM (a graceful stop through the shutdown hook), then SIGKILL if it is still running after 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
