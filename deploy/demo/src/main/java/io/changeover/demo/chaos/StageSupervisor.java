package io.changeover.demo.chaos;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the stage processes of a migration and starts again any that exits or is killed, as a service manager
 * ({@code Restart=always}) would: each slot ({@code sink}, {@code transform-1}, ...) always has a process.
 */
final class StageSupervisor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StageSupervisor.class);
    private final StageClasspath classpath;
    private final Path logs;
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "changeover-chaos-supervisor");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger restarts = new AtomicInteger();

    private static final class Slot {
        final String stage;
        final List<String> arguments;
        StageProcess process;
        int generation;

        Slot(String stage, List<String> arguments) {
            this.stage = stage;
            this.arguments = arguments;
        }
    }

    StageSupervisor(StageClasspath classpath, Path logs) {
        this.classpath = classpath;
        this.logs = logs;
        watcher.scheduleWithFixedDelay(this::restartExited, 1, 1, TimeUnit.SECONDS);
    }

    /** Starts a process in slot {@code name}: {@code changeover <arguments>}, whose first argument is its stage. */
    synchronized void start(String name, List<String> arguments) throws IOException {
        Slot slot = new Slot(arguments.get(0), List.copyOf(arguments));
        slots.put(name, slot);
        launch(name, slot);
    }

    /** The live processes of a stage. */
    synchronized List<StageProcess> running(String stage) {
        List<StageProcess> result = new ArrayList<>();
        slots.values().stream().filter(s -> s.stage.equals(stage) && s.process != null && s.process.alive())
                .forEach(s -> result.add(s.process));
        return result;
    }

    int restarts() {
        return restarts.get();
    }

    private synchronized void restartExited() {
        slots.forEach((name, slot) -> {
            if (slot.process != null && !slot.process.alive()) {
                try {
                    launch(name, slot);
                    restarts.incrementAndGet();
                    LOG.info("{} exited; started again as {}", name, slot.process.name());
                } catch (IOException e) {
                    LOG.warn("cannot start {} again: {}", name, e.getMessage());
                }
            }
        });
    }

    private void launch(String name, Slot slot) throws IOException {
        slot.generation++;
        slot.process = StageProcess.start(classpath, slot.generation == 1 ? name : name + "-" + slot.generation, logs, slot.arguments);
    }

    @Override
    public synchronized void close() throws InterruptedException {
        watcher.shutdownNow();
        for (Slot slot : slots.values()) {
            if (slot.process != null) {
                slot.process.close();
            }
        }
    }
}
