package io.changeover.app;

import io.changeover.stages.SpecOption;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;

import io.changeover.control.progress.ProgressPrinter;
import io.changeover.control.replay.Replay;
import io.changeover.control.replay.ReplaySpec;
import io.changeover.transform.spec.MigrationSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Reruns the transform from the retained raw topics into another target, then follows the live stream; see docs/replay.md. */
@Command(name = "replay", description = "Rerun the transform of a spec from the retained raw topics into another target"
        + " (without reading the source), then keep following the live stream until Ctrl-C.")
final class ReplayCommand implements Callable<Integer> {
    @Mixin
    SpecOption spec;

    @Option(names = "--target-uri", required = true, description = "The replay's target: a MongoDB deployment, or a "
            + "PostgreSQL database (postgresql://.../db, written with the spec's target.tables).")
    String targetUri;

    @Option(names = "--target-database", description = "The replay's target MongoDB database (a fresh one); for "
            + "PostgreSQL, the URI's database.")
    String targetDatabase;

    @Option(names = "--version", description = "Spec version naming the replay (default: the spec checksum's first 12 hex digits).")
    String version;

    @Option(names = "--from", description = "Replay changes from this instant on (ISO-8601, e.g. 2026-11-21T10:00:00Z); default: everything retained.")
    Instant from;

    @Override
    public Integer call() throws InterruptedException {
        MigrationSpec live = spec.load();
        String v = version != null ? version : ReplaySpec.defaultVersion(live);
        if (targetDatabase == null && !targetUri.startsWith("postgres")) {
            System.err.println("replay: --target-database is required for a MongoDB target");
            return 64;
        }
        MigrationSpec replay;
        try {
            replay = ReplaySpec.of(live, v, targetUri, targetDatabase);
        } catch (IllegalArgumentException e) {
            System.err.println("replay: " + e.getMessage());
            return 64;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "changeover-replay-stop"));
        ProgressPrinter printer = ProgressPrinter.forStdout();
        printer.message("replay " + replay.name() + " of migration " + live.name() + " into database " + replay.target().database()
                + (from == null ? ", from the beginning of the raw topics" : ", from " + from));
        try (Replay running = Replay.start(live, replay, from); Admin admin = Admin.create(Map.copyOf(live.kafka()))) {
            while (stop.getCount() > 0) {
                if (running.failure().isPresent()) {
                    System.err.println(running.failure().get());
                    return 1;
                }
                Replay.Lag lag = running.lag(admin);
                printer.update(String.format("copied %,d raw records | behind: %s%s", running.feed().copied(), lag,
                        lag.zero() ? " | caught up, following the live stream" : ""), System.currentTimeMillis());
                stop.await(1, TimeUnit.SECONDS);
            }
        }
        return 0;
    }
}
