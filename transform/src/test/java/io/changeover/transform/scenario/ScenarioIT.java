package io.changeover.transform.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.transform.TestClients;
import io.changeover.transform.TransformRunner;
import io.changeover.transform.engine.CollectionTransform;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.format.DeadLetters;
import io.changeover.transform.format.OutputRecords;
import io.changeover.transform.format.RawRecords;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;
import io.changeover.transform.topics.Topics;

/**
 * Every scenario again on the embedded broker, with three partitions per topic: raw records are partitioned by
 * identity as capture partitions them, ticks and snapshot ends go to every partition, so documents of one scenario
 * are transformed by different tasks and their internal records (asks, answers, mappings, claims) cross partitions
 * in whatever order the broker and the stream thread give. The targets must converge to the scenario's expected
 * documents, and the dead letters must be the expected ones (in any order; ownership conflicts excepted, see
 * {@link #orderIndependent}).
 */
class ScenarioIT {
    private static final int PARTITIONS = 3;
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static EmbeddedKafka kafka;
    private static KafkaProducer<byte[], byte[]> producer;

    @TempDir
    static Path work;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
        producer = TestClients.rawProducer(kafka.bootstrapServers());
    }

    @AfterAll
    static void stopKafka() {
        producer.close();
        kafka.close();
    }

    static Stream<String> scenarios() throws IOException {
        return Scenario.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void scenario(String name) throws Exception {
        Scenario scenario = Scenario.load(name);
        Path workDir = work.resolve(name);
        MigrationSpec spec = SpecLoader.parse(onBroker(scenario.specText(workDir), name, workDir), name + "/spec.yaml");
        Topics topics = Topics.of(spec.name());
        Map<String, String> targetByTopic = new HashMap<>();
        Map<String, Map<String, BsonDocument>> actual = new TreeMap<>();
        for (CollectionTransform t : CompiledSpec.compile(spec).collections()) {
            t.targets().forEach(target -> {
                targetByTopic.put(topics.output(target), target);
                actual.put(target, new TreeMap<>());
            });
        }
        Map<String, Map<String, BsonDocument>> expected = new TreeMap<>();
        actual.keySet().forEach(target -> expected.put(target, scenario.expectedTargets().getOrDefault(target, Map.of())));
        assertThat(actual.keySet()).as("target collections").containsAll(scenario.expectedTargets().keySet());
        List<String> wantedDeadLetters = scenario.expectedDeadLetters().stream().filter(ScenarioIT::orderIndependent).toList();
        List<String> deadLetters = new ArrayList<>();

        List<String> read = new ArrayList<>(targetByTopic.keySet());
        read.add(topics.deadLetter());
        try (TransformRunner runner = TransformRunner.start(spec);
             KafkaConsumer<byte[], byte[]> consumer = TestClients.committedConsumer(kafka.bootstrapServers(),
                     read.toArray(String[]::new))) {
            send(scenario, spec, topics);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!actual.equals(expected) || deadLetters.size() < wantedDeadLetters.size()) {
                assertThat(runner.failure()).isEmpty();
                if (System.nanoTime() > deadline) {
                    assertThat(json(actual)).as("targets converged").isEqualTo(json(expected));
                    assertThat(deadLetters).as("dead letters").hasSameSizeAs(wantedDeadLetters);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (r.topic().equals(topics.deadLetter())) {
                        String line = DeadLetters.get(r.headers(), DeadLetters.COLLECTION) + "|"
                                + DeadLetters.get(r.headers(), DeadLetters.STEP) + "|"
                                + Scenario.idText(RawRecords.id(r.key())) + "|"
                                + DeadLetters.get(r.headers(), DeadLetters.REASON);
                        if (orderIndependent(line)) {
                            deadLetters.add(line);
                        }
                        continue;
                    }
                    Map<String, BsonDocument> target = actual.get(targetByTopic.get(r.topic()));
                    String key = Scenario.keyText(OutputRecords.id(r.key()));
                    if (r.value() == null) {
                        target.remove(key);
                    } else {
                        target.put(key, OutputRecords.document(r.value()));
                    }
                }
            }
        }
        assertDeadLetters(deadLetters, wantedDeadLetters);
    }

    /**
     * Whether a dead letter is the same in every arrival order. An {@code ownership} conflict is not: which of two
     * documents handing a target id on claims it first, or whether one leaves before the other arrives, depends on
     * the order their partitions are transformed in (ScenarioTest checks them on one partition); the targets they
     * converge to do not.
     */
    private static boolean orderIndependent(String deadLetter) {
        return !deadLetter.split("\\|", 3)[1].equals("ownership");
    }

    /** Each expected dead letter matches one actual dead letter, whatever their order. */
    private static void assertDeadLetters(List<String> actual, List<String> wanted) {
        assertThat(actual).as("dead letters").hasSameSizeAs(wanted);
        List<String> left = new ArrayList<>(actual);
        for (String line : wanted) {
            String[] parts = line.split("\\|", 4);
            String prefix = parts[0] + "|" + parts[1] + "|" + parts[2] + "|";
            String match = left.stream().filter(a -> a.startsWith(prefix) && a.contains(parts[3])).findFirst()
                    .orElse(null);
            assertThat(match).as("a dead letter like %s among %s", line, left).isNotNull();
            left.remove(match);
        }
    }

    private static void send(Scenario scenario, MigrationSpec spec, Topics topics) {
        for (Scenario.Input input : scenario.inputs()) {
            String topic = topics.raw(spec.source().database(), input.collection());
            if (input instanceof Scenario.Change change) {
                producer.send(new ProducerRecord<>(topic, change.key(), change.value()));
            } else if (input instanceof Scenario.Tick tick) {
                everyPartition(topic, RawRecords.value(tick.record(PARTITIONS)));
            } else if (input instanceof Scenario.SnapshotEnd end) {
                everyPartition(topic, RawRecords.value(end.record(PARTITIONS)));
            }
        }
        producer.flush();
    }

    private static void everyPartition(String topic, byte[] value) {
        for (int p = 0; p < PARTITIONS; p++) {
            producer.send(new ProducerRecord<>(topic, p, null, value));
        }
    }

    /** The scenario's spec pointed at the embedded broker, with its own migration name, state and three partitions. */
    private static String onBroker(String yaml, String name, Path workDir) {
        String settings = "state.dir: \"" + workDir.resolve("state") + "\", raw.topic.partitions: " + PARTITIONS
                + ", output.topic.partitions: " + PARTITIONS;
        String text = yaml.replace("migration: scenario", "migration: scenario-" + name)
                .replace("kafka: {bootstrap.servers: \"localhost:9092\"}",
                        "kafka: {bootstrap.servers: \"" + kafka.bootstrapServers() + "\"}");
        return text.contains("\ntransform: {") ? text.replace("\ntransform: {", "\ntransform: {" + settings + ", ")
                : text.replace("\ncollections:", "\ntransform: {" + settings + "}\ncollections:");
    }

    private static Map<String, List<String>> json(Map<String, Map<String, BsonDocument>> targets) {
        Map<String, List<String>> json = new TreeMap<>();
        targets.forEach((collection, documents) -> json.put(collection, Scenario.json(documents)));
        return json;
    }
}
