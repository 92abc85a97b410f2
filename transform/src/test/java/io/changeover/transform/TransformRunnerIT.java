package io.changeover.transform;

import static io.changeover.transform.TestClients.committedConsumer;
import static io.changeover.transform.TestClients.rawProducer;
import static io.changeover.transform.TransformTopologyTest.event;
import static io.changeover.transform.TransformTopologyTest.key;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.streams.KafkaStreams;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.transform.format.DeadLetters;
import io.changeover.transform.format.OutputRecords;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;
import io.changeover.transform.topics.Topics;

/** The transform end to end on a real broker with exactly_once_v2, including a restart. */
class TransformRunnerIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static EmbeddedKafka kafka;

    @TempDir
    static Path stateDir;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void transformsRawEventsIntoOutputTopicsExactlyOnceAcrossARestart() throws Exception {
        MigrationSpec spec = SpecLoader.parse("""
                migration: it
                source: {uri: "mongodb://localhost:27017", database: legacy}
                target: {uri: "mongodb://localhost:27018", database: refactored}
                kafka: {bootstrap.servers: "%s"}
                transform: {processing.guarantee: exactly_once_v2, state.dir: "%s", output.topic.partitions: 2}
                collections:
                  jobs:
                    into: tasks
                    steps:
                      - map: {field: status, values: {done: completed}}
                      - keep: {status: completed}
                      - set: {schema_version: 2}
                """.formatted(kafka.bootstrapServers(), stateDir), "it.yaml");
        Topics topics = Topics.of("it");
        String raw = topics.raw("legacy", "jobs");

        try (TransformRunner runner = TransformRunner.start(spec);
             KafkaProducer<byte[], byte[]> producer = rawProducer(kafka.bootstrapServers());
             KafkaConsumer<byte[], byte[]> consumer = committedConsumer(kafka.bootstrapServers(), topics.output("tasks"), topics.deadLetter())) {
            assertTopicsProvisioned(topics, raw);
            producer.send(new ProducerRecord<>(raw, key("1"), event("r", "{_id: 1, status: 'done'}", 1000, 1)));
            producer.send(new ProducerRecord<>(raw, key("2"), event("r", "{_id: 2, status: 'open'}", 1000, 2)));
            producer.send(new ProducerRecord<>(raw, key("3"), "poison".getBytes()));
            producer.send(new ProducerRecord<>(raw, key("4"), event("c", "{_id: 4, status: 'completed'}", 2000, 1)));
            producer.flush();

            List<ConsumerRecord<byte[], byte[]>> out = readAtLeast(consumer, 3, runner);
            assertThat(out).filteredOn(r -> r.topic().equals(topics.output("tasks")))
                    .extracting(r -> OutputRecords.document(r.value()))
                    .containsExactlyInAnyOrder(BsonDocument.parse("{_id: 1, status: 'completed', schema_version: 2}"),
                            BsonDocument.parse("{_id: 4, status: 'completed', schema_version: 2}"));
            ConsumerRecord<byte[], byte[]> dead = out.stream()
                    .filter(r -> r.topic().equals(topics.deadLetter())).findFirst().orElseThrow();
            assertThat(dead.value()).isEqualTo("poison".getBytes());
            assertThat(DeadLetters.get(dead.headers(), DeadLetters.SPEC_CHECKSUM)).isEqualTo(spec.checksum());
            assertThat(runner.failure()).isEmpty();
            assertThat(runner.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }

        try (TransformRunner restarted = TransformRunner.start(spec);
             KafkaProducer<byte[], byte[]> producer = rawProducer(kafka.bootstrapServers());
             KafkaConsumer<byte[], byte[]> consumer = committedConsumer(kafka.bootstrapServers(), topics.output("tasks"))) {
            producer.send(new ProducerRecord<>(raw, key("1"), event("d", null, 3000, 1)));
            producer.flush();
            List<ConsumerRecord<byte[], byte[]>> all = readUntil(consumer, restarted,
                    records -> records.stream().anyMatch(r -> r.value() == null));
            assertThat(all).as("nothing reprocessed or lost across the restart")
                    .extracting(r -> OutputRecords.id(r.key()) + (r.value() == null ? " deleted" : " written"))
                    .containsExactlyInAnyOrder(new BsonInt32(1) + " written", new BsonInt32(4) + " written",
                            new BsonInt32(1) + " deleted");
        }
    }

    private static void assertTopicsProvisioned(Topics topics, String raw) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            Map<String, TopicDescription> described = admin.describeTopics(
                    Set.of(raw, topics.output("tasks"), topics.deadLetter())).allTopicNames().get();
            assertThat(described.get(topics.output("tasks")).partitions()).hasSize(2);
            ConfigResource rawConfig = new ConfigResource(ConfigResource.Type.TOPIC, raw);
            assertThat(admin.describeConfigs(Set.of(rawConfig)).all().get().get(rawConfig).get("retention.ms").value())
                    .isEqualTo("-1");
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAtLeast(KafkaConsumer<byte[], byte[]> consumer, int count,
                                                                    TransformRunner runner) {
        return readUntil(consumer, runner, records -> records.size() >= count);
    }

    private static List<ConsumerRecord<byte[], byte[]>> readUntil(KafkaConsumer<byte[], byte[]> consumer,
            TransformRunner runner, java.util.function.Predicate<List<ConsumerRecord<byte[], byte[]>>> done) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.test(records)) {
            assertThat(runner.failure()).as("transform failure").isEmpty();
            assertThat(System.nanoTime()).as("records arrived before giving up; got " + records.size()).isLessThan(deadline);
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        return records;
    }

}
