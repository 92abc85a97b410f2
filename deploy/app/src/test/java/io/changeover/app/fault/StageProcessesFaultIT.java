package io.changeover.app.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

import io.changeover.demo.chaos.StageClasspath;
import io.changeover.demo.chaos.StageProcess;
import io.changeover.demo.DemoSpec;
import io.changeover.capture.CaptureOffsetsReader;
import io.changeover.control.lag.ConsumerGroupLag;
import io.changeover.control.lag.LagMonitor;
import io.changeover.control.lag.SourceClock;
import io.changeover.control.pipeline.SpecVerification;
import io.changeover.demo.sample.LiveWriter;
import io.changeover.demo.sample.SampleDataset;
import io.changeover.control.status.DeadLetterCount;
import io.changeover.control.status.StageInstances;
import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.embedded.mongo.EmbeddedMongo;
import io.changeover.embedded.mongo.RestartableMongo;
import io.changeover.transform.TransformTopology;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.format.RawRecord;
import io.changeover.transform.format.RawRecords;
import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;
import io.changeover.transform.step.StepRegistry;
import io.changeover.transform.topics.Topics;
import io.changeover.verify.CollectionReport;

/**
 * Each stage as its own process, as users run them ({@code changeover capture|transform|sink}), sharing nothing but
 * Kafka: a sink, two transform instances, an active capture and a standby. While the demo's writer writes, each kind
 * of process is killed with SIGKILL: the sink (a new one is started), one transform instance (the other takes its
 * partitions), the active capture (the standby takes the lease and resumes from the stored offsets, no new
 * snapshot); then the source server is restarted under the capture and the writer. After each fault the work
 * pending at the fault gets done; at the end lag reaches zero and the verifier (independent of the pipeline: it applies the spec to the source itself) finds the target equal, with no dead
 * letters and no duplicate target documents.
 */
class StageProcessesFaultIT {
    private static final Logger LOG = LoggerFactory.getLogger(StageProcessesFaultIT.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    /** Groups notice a killed member after this (the broker's minimum is 6 s). */
    private static final String SESSION_TIMEOUT_MS = "8000";

    /** The stages jar beside its dependencies, copied by the {@code package} phase before the integration tests run. */
    private static final Path LIB = Path.of("target", "lib");

    @TempDir
    Path work;

    private final List<StageProcess> processes = new ArrayList<>();
    private final List<String> report = new ArrayList<>();

    @Test
    void thePipelineConvergesAfterItsSinkATransformInstanceAndItsActiveCaptureAreKilled() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); RestartableMongo sourceServer = new RestartableMongo(work.resolve("source"));
             EmbeddedMongo targetServer = EmbeddedMongo.start();
             MongoClient source = MongoClients.create(sourceServer.connectionString());
             MongoClient target = MongoClients.create(targetServer.connectionString())) {
            Path specFile = work.resolve("spec.yaml");
            DemoSpec.write(specFile, sourceServer.connectionString(), targetServer.connectionString(),
                    kafka.bootstrapServers(), work);
            Files.writeString(specFile, Files.readString(specFile).replace("kafka: {bootstrap.servers: ",
                    "kafka: {session.timeout.ms: \"" + SESSION_TIMEOUT_MS + "\", bootstrap.servers: "));
            MigrationSpec spec = SpecLoader.load(specFile, StepRegistry.standard());
            Topics topics = Topics.of(spec.name());
            MongoDatabase legacy = source.getDatabase(spec.source().database());
            SampleDataset dataset = new SampleDataset(11, 1_500);
            dataset.loadInto(legacy);
            List<String> rawTopics = TransformTopology.inputTopics(CompiledSpec.compile(spec)).stream()
                    .filter(t -> t.contains(".raw.")).toList();
            List<String> outputTopics = TransformTopology.outputTopics(CompiledSpec.compile(spec));

            try (LiveWriter writer = new LiveWriter(legacy, dataset, 40, 11).outlasting(Duration.ofMinutes(2)).start();
                 Admin admin = Admin.create(Map.copyOf(spec.kafka()));
                 CaptureOffsetsReader captured = new CaptureOffsetsReader(spec.kafka(), topics)) {
                ConsumerGroupLag groups = new ConsumerGroupLag(admin);
                SourceClock clock = SourceClock.of(source);
                int sinkMetrics = freePort();
                StageProcess sink = stage("sink", "sink", "--spec", specFile.toString(), "--metrics-port", String.valueOf(sinkMetrics));
                StageProcess transform1 = stage("transform-1", "transform", "--spec", specFile.toString(),
                        "--state-dir", work.resolve("state-1").toString());
                stage("transform-2", "transform", "--spec", specFile.toString(), "--state-dir", work.resolve("state-2").toString());
                StageProcess capture1 = stage("capture-1", "capture", "--spec", specFile.toString(), "--lease-timeout-seconds", "6");
                await("the first documents in the target", () -> target.getDatabase(spec.target().database())
                        .getCollection("jobs").countDocuments() > 0);
                stage("capture-2", "capture", "--spec", specFile.toString(), "--lease-timeout-seconds", "6");
                String metrics = get("http://127.0.0.1:" + sinkMetrics + "/metrics");
                assertThat(metrics).as("the sink process's own metrics and its Kafka consumer's")
                        .contains("changeover_stage_up{migration=\"demo\",stage=\"sink\"} 1")
                        .contains("kafka_consumer_fetch_manager_metrics_records_consumed_total{stage=\"sink\"");
                StageInstances instances = new StageInstances(admin, topics);
                await("status lists every live process: an active capture and a standby, two transform processes, a sink",
                        () -> roles(instances.live()).equals(List.of("capture active", "capture standby", "sink member",
                                "transform member", "transform member")));

                fault("SIGKILL the sink; start a new one", () -> {
                    Map<TopicPartition, ConsumerGroupLag.Range> pending = groups.backlog(topics.sinkGroupId(), outputTopics);
                    sink.kill();
                    stage("sink-2", "sink", "--spec", specFile.toString());
                    return () -> done(groups.backlog(topics.sinkGroupId(), outputTopics), pending);
                });
                fault("SIGKILL transform instance 1 of 2; instance 2 takes its partitions", () -> {
                    Map<TopicPartition, ConsumerGroupLag.Range> pending = groups.backlog(topics.transformApplicationId(), rawTopics);
                    transform1.kill();
                    return () -> done(groups.backlog(topics.transformApplicationId(), rawTopics), pending);
                });
                Map<TopicPartition, Long> rawAtTakeover = new HashMap<>();
                fault("SIGKILL the active capture; the standby takes the lease and resumes", () -> {
                    SourcePosition latest = clock.latest();
                    capture1.kill();
                    groups.backlog(topics.transformApplicationId(), rawTopics).forEach((tp, r) -> rawAtTakeover.put(tp, r.end()));
                    return () -> captured.position().compareTo(latest) >= 0;
                });

                fault("restart the source MongoDB (down 10 s); the capture resumes its change stream, the writer carries on",
                        () -> {
                    sourceServer.stop();
                    Thread.sleep(10_000);   // the fault: the source is unreachable this long
                    sourceServer.start();
                    long written = writer.counts().total();
                    SourcePosition[] afterRestart = new SourcePosition[1];
                    return () -> {
                        if (afterRestart[0] == null && writer.counts().total() > written + 5) {
                            afterRestart[0] = clock.latest();   // a change written after the restart
                        }
                        return afterRestart[0] != null && captured.position().compareTo(afterRestart[0]) >= 0;
                    };
                });

                writer.close();
                assertThat(writer.failure()).as("the writer").isEmpty();
                try (LagMonitor lag = new LagMonitor(spec, admin, clock, captured::position)) {
                    await("zero lag", () -> lag.measure().zero());
                }
                List<CollectionReport> reports = SpecVerification.run(spec, source, target, false);
                for (CollectionReport r : reports) {
                    report.add(String.format("verified %s: %,d source documents, %,d expected, %,d in the target, %,d differences",
                            r.target(), r.sourceCount(), r.expectedCount(), r.targetCount(), r.mismatches()));
                }
                LOG.info("fault report:\n  {}", String.join("\n  ", report));
                assertThat(SpecVerification.mismatches(reports)).as("differences: " + reports).isZero();
                assertThat(reports).allSatisfy(r -> assertThat(r.targetCount()).as("no duplicate or missing target document in "
                        + r.target()).isEqualTo(r.expectedCount()));
                try (DeadLetterCount deadLetters = new DeadLetterCount(spec.kafka(), topics.deadLetter())) {
                    assertThat(deadLetters.count()).as("dead letters: " + deadLetters.latest()).isZero();
                }
                assertThat(processes.stream().filter(p -> p.name().startsWith("capture")).filter(StageProcess::alive))
                        .as("the standby took over").hasSize(1);
                assertThat(snapshotReads(spec.kafka(), rawAtTakeover)).as("snapshot reads written after the takeover: "
                        + "the standby resumed streaming from the stored offsets").isZero();
            } finally {
                for (StageProcess p : processes) {
                    p.close();
                }
            }
        }
    }

    /** A fault injected by {@code inject}, which returns when the work pending at the fault is done. */
    private void fault(String what, FaultInjection inject) throws Exception {
        BooleanSupplier recovered = inject.inject();
        long start = System.nanoTime();   // recovery counts from the fault's end (a server back, a process killed)
        await("recovery from: " + what, recovered);
        String line = String.format("%s: recovered in %.1f s", what, (System.nanoTime() - start) / 1e9);
        report.add(line);
        LOG.info(line);
    }

    @FunctionalInterface
    private interface FaultInjection {
        BooleanSupplier inject() throws Exception;
    }

    /**
     * Every partition's records pending when {@code before} was measured are committed now, and every partition that
     * held or got records since has moved on from where it was (the partitions of the killed process too), and the
     * group committed more than it had at the fault.
     */
    private static boolean done(Map<TopicPartition, ConsumerGroupLag.Range> now, Map<TopicPartition, ConsumerGroupLag.Range> before) {
        boolean moved = committed(now) > committed(before);   // the killed process commits nothing: others did
        return moved && before.entrySet().stream().allMatch(e -> {
            ConsumerGroupLag.Range was = e.getValue();
            ConsumerGroupLag.Range is = now.get(e.getKey());
            boolean idle = was.from() == was.end() && is != null && is.end() == was.end();
            return is != null && is.from() >= was.end() && (idle || is.from() > was.from());
        });
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String get(String url) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    private static List<String> roles(List<StageInstances.Instance> live) {
        return live.stream().map(i -> i.stage() + " " + i.role()).sorted().toList();
    }

    private static long committed(Map<TopicPartition, ConsumerGroupLag.Range> ranges) {
        return ranges.values().stream().mapToLong(ConsumerGroupLag.Range::from).sum();
    }

    /** Snapshot reads in the raw topics from the given offsets on. */
    private static long snapshotReads(Map<String, String> kafka, Map<TopicPartition, Long> from) {
        long reads = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            Map<TopicPartition, Long> end = consumer.endOffsets(from.keySet());
            while (from.keySet().stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() != null && RawRecords.read(r.key(), r.value()) instanceof RawRecord.Change c && c.snapshot()) {
                        reads++;
                    }
                }
            }
        }
        return reads;
    }


    private StageProcess stage(String name, String... arguments) throws Exception {
        StageProcess p = StageProcess.start(StageClasspath.inLibrary(LIB), name, work, List.of(arguments));
        processes.add(p);
        return p;
    }

    /** Polls until {@code condition} holds (the processes get there on their own), failing after {@link #TIMEOUT}. */
    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                StringBuilder logs = new StringBuilder();
                processes.forEach(p -> logs.append('\n').append(p.tail(15)));
                throw new AssertionError("timed out waiting for " + what + logs);
            }
            Thread.sleep(250);
        }
    }
}
