package io.changeover.demo.chaos;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

import io.changeover.demo.DemoSpec;
import io.changeover.capture.CaptureOffsetsReader;
import io.changeover.control.lag.ConsumerGroupLag;
import io.changeover.control.lag.LagMonitor;
import io.changeover.control.lag.SourceClock;
import io.changeover.control.pipeline.SpecVerification;
import io.changeover.control.pipeline.VerificationTable;
import io.changeover.demo.sample.LiveWriter;
import io.changeover.demo.sample.SampleDataset;
import io.changeover.control.status.DeadLetterCount;
import io.changeover.embedded.kafka.LocalKafkaCluster;
import io.changeover.embedded.mongo.RestartableMongo;
import io.changeover.transform.TransformTopology;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;
import io.changeover.transform.step.StepRegistry;
import io.changeover.transform.topics.Topics;
import io.changeover.verify.CollectionReport;

/**
 * The demo's migration as separate stage processes (a sink, two transform instances, an active capture and a standby,
 * restarted when they exit) on a local three-node Kafka cluster, the source and target in this JVM, while a writer
 * writes; for the time asked, faults at random: SIGKILL of a stage process or a Kafka node, the target stopped for
 * 60 s, the source restarted. After each, how long until changes are applied again; at the end, lag zero and the verifier's verdict.
 */
public final class ChaosRun implements Callable<Integer> {
    private static final Duration SLOW = Duration.ofMinutes(10);
    /** Groups notice a killed member after this (the broker's minimum is 6 s). */
    private static final String SESSION_TIMEOUT_MS = "8000";
    private static final long APPLIED_AGAIN = 50;
    /** The writer, like a service with a retry policy, rides out a source restart this long. */
    private static final Duration WRITER_OUTAGE = Duration.ofMinutes(2);
    private final ChaosOptions options;
    private final PrintStream out;
    private final long started = System.nanoTime();

    public ChaosRun(ChaosOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        Path dir = options.dir();
        Random random = new Random(options.seed());
        step("files: " + dir);
        step("starting a Kafka cluster of 3 nodes (separate processes) and the source and target MongoDB (in this JVM)");
        try (LocalKafkaCluster kafka = LocalKafkaCluster.start(dir.resolve("kafka"), 3);
             RestartableMongo sourceServer = new RestartableMongo(dir.resolve("source"));
             RestartableMongo targetServer = new RestartableMongo(dir.resolve("target"));
             MongoClient source = MongoClients.create(sourceServer.connectionString());
             MongoClient target = MongoClients.create(targetServer.connectionString())) {
            Path specFile = dir.resolve("spec.yaml");
            DemoSpec.write(specFile, sourceServer.connectionString(), targetServer.connectionString(), kafka.bootstrapServers(), dir);
            Files.writeString(specFile, Files.readString(specFile).replace("kafka: {bootstrap.servers: ",
                    "kafka: {session.timeout.ms: \"" + SESSION_TIMEOUT_MS + "\", bootstrap.servers: "));
            MigrationSpec spec = SpecLoader.load(specFile, StepRegistry.standard());
            MongoDatabase legacy = source.getDatabase(spec.source().database());
            SampleDataset dataset = new SampleDataset(options.seed(), options.size());
            dataset.loadInto(legacy);
            step(String.format("loaded %,d sample jobs; spec %s", options.size(), specFile));
            try (LiveWriter writer = new LiveWriter(legacy, dataset, options.rate(), options.seed())
                    .outlasting(WRITER_OUTAGE).start();
                 StageSupervisor stages = new StageSupervisor(StageClasspath.ofThisApplication(), dir.resolve("logs"));
                 Admin admin = Admin.create(Map.copyOf(spec.kafka()));
                 CaptureOffsetsReader captured = new CaptureOffsetsReader(spec.kafka(), Topics.of(spec.name()))) {
                startStages(stages, specFile, dir);
                step("stages started as processes: sink, transform-1, transform-2, capture-1, capture-2 (standby); "
                        + "logs in " + dir.resolve("logs"));
                await("the first documents in the target", () -> target.getDatabase(spec.target().database())
                        .getCollection("jobs").countDocuments() > 0);
                List<Double> recoveries = injectFaults(stages, kafka, sourceServer, targetServer, spec, admin, random);
                writer.close();
                step(String.format("faults over: %d injected, %d stage processes started again; the writer stopped after %,d changes",
                        recoveries.size(), stages.restarts(), writer.counts().total()));
                if (writer.failure().isPresent()) {
                    step("FAILED: the writer could not write through the faults: " + writer.failure().get());
                    return 1;
                }
                try (LagMonitor lag = new LagMonitor(spec, admin, SourceClock.of(source), captured::position)) {
                    await("zero lag", () -> lag.measure().zero());
                }
                step("lag is zero; verifying the target against the spec applied to the source");
                return verdict(spec, source, target, recoveries);
            }
        }
    }

    private static void startStages(StageSupervisor stages, Path specFile, Path dir) throws Exception {
        String spec = specFile.toString();
        stages.start("sink", List.of("sink", "--spec", spec));
        stages.start("transform-1", List.of("transform", "--spec", spec, "--state-dir", dir.resolve("state-1").toString()));
        stages.start("transform-2", List.of("transform", "--spec", spec, "--state-dir", dir.resolve("state-2").toString()));
        stages.start("capture-1", List.of("capture", "--spec", spec, "--lease-timeout-seconds", "6"));
        stages.start("capture-2", List.of("capture", "--spec", spec, "--lease-timeout-seconds", "6"));
    }

    private List<Double> injectFaults(StageSupervisor stages, LocalKafkaCluster kafka, RestartableMongo source,
                                      RestartableMongo target, MigrationSpec spec, Admin admin, Random random)
            throws Exception {
        List<Fault> faults = List.of(new KillStageFault("sink", stages, random), new KillStageFault("transform", stages, random),
                new KillStageFault("capture", stages, random), new KillBrokerFault(kafka, Duration.ofSeconds(20), random),
                new StopTargetFault(target, Duration.ofSeconds(60)), new RestartSourceFault(source, Duration.ofSeconds(10)));
        ConsumerGroupLag groups = new ConsumerGroupLag(admin);
        Topics topics = Topics.of(spec.name());
        List<String> outputs = TransformTopology.outputTopics(CompiledSpec.compile(spec));
        List<Double> recoveries = new ArrayList<>();
        long end = System.nanoTime() + options.faults().toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(15_000 + random.nextInt(20_000));   // the pace of the faults, random
            String what = faults.get(random.nextInt(faults.size())).inject();
            long healed = System.nanoTime();
            long applied = applied(groups, topics, outputs);
            await("changes applied again after: " + what, () -> applied(groups, topics, outputs) >= applied + APPLIED_AGAIN);
            double seconds = (System.nanoTime() - healed) / 1e9;
            recoveries.add(seconds);
            step(String.format("%s: applying changes again after %.1f s", what, seconds));
        }
        return recoveries;
    }

    private static long applied(ConsumerGroupLag groups, Topics topics, List<String> outputs) {
        return groups.backlog(topics.sinkGroupId(), outputs).values().stream().mapToLong(ConsumerGroupLag.Range::from).sum();
    }

    private int verdict(MigrationSpec spec, MongoClient source, MongoClient target, List<Double> recoveries) {
        List<CollectionReport> reports = SpecVerification.run(spec, source, target, false);
        VerificationTable.print(reports, out);
        long differences = SpecVerification.mismatches(reports);
        long missingOrExtra = reports.stream().mapToLong(r -> Math.abs(r.targetCount() - r.expectedCount())).sum();
        long deadLetters;
        try (DeadLetterCount count = new DeadLetterCount(spec.kafka(), Topics.of(spec.name()).deadLetter())) {
            deadLetters = count.count();
        }
        long compared = reports.stream().mapToLong(CollectionReport::sourceCount).sum();
        double max = recoveries.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double median = recoveries.isEmpty() ? 0 : recoveries.stream().sorted().toList().get(recoveries.size() / 2);
        out.printf("%nchaos summary%n  faults injected         %d%n  recovery (median, max)  %.1f s, %.1f s%n"
                        + "  documents compared      %,d%n  differences             %,d%n  dead letters            %,d%n",
                recoveries.size(), median, max, compared, differences, deadLetters);
        boolean passed = differences == 0 && missingOrExtra == 0 && deadLetters == 0;
        out.println("  result                  " + (passed ? "PASSED: the target equals the spec applied to the source"
                : "FAILED"));
        return passed ? 0 : 1;
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + SLOW.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up after " + SLOW.toMinutes() + " min waiting for " + what);
            }
            Thread.sleep(500);   // the processes get there on their own
        }
    }

    private void step(String message) {
        long s = (System.nanoTime() - started) / 1_000_000_000;
        out.printf("[%02d:%02d] %s%n", s / 60, s % 60, message);
        out.flush();
    }
}
