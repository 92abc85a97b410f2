package io.changeover.app.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One stage of a migration running as its own process, as users run it: {@code java -jar changeover-app.jar <stage>
 * --spec FILE ...}, its log in a directory of its own. {@link #kill()} is SIGKILL: no shutdown hook, no close, no commit.
 */
final class StageProcess implements AutoCloseable {
    /** The application jar the {@code package} phase built, before the integration tests run. */
    static final Path JAR = Path.of("target", "changeover-app.jar");
    private final String name;
    private final Process process;
    private final Path log;

    private StageProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static StageProcess start(String name, Path logDir, List<String> arguments) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException("no application jar at " + JAR.toAbsolutePath()
                    + ": run the integration tests through Maven (mvn verify), which packages it first");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx320m", "-XX:+UseSerialGC", "-Dchangeover.log.dir=" + logDir.resolve(name).toAbsolutePath(),
                "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logDir.resolve(name + ".out").toFile()).start();
        return new StageProcess(name, process, logDir.resolve(name).resolve("changeover.log"));
    }

    String name() {
        return name;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** The last lines of its log, to explain a failure. */
    String tail(int lines) {
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
