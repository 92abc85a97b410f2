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

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.format.OutputRecords;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;
import io.changeover.transform.topics.Topics;

/**
 * Children waiting for their parents keep waiting across a restart that loses the local state: the pending state is
 * restored from the changelogs, and the children are written when the parents arrive after the restart.
 */
class RemapRestartIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int CHILDREN = 10;
    private static EmbeddedKafka kafka;

    @TempDir
    static Path work;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void waitingChildrenSurviveARestartWithoutLocalState() throws Exception {
        MigrationSpec spec = SpecLoader.parse("""
                migration: restartit
                source: {uri: "mongodb://localhost:27017", database: legacy}
                target: {uri: "mongodb://localhost:27018", database: refactored}
                kafka: {bootstrap.servers: "%s"}
                transform: {state.dir: "%s", raw.topic.partitions: 2, output.topic.partitions: 2}
                collections:
                  parents:
                    steps: [{rehash-id: {fields: [name]}}]
                  children:
                    steps: [{remap: {field: pid, from: parents}}]
                """.formatted(kafka.bootstrapServers(), work.resolve("state")), "restart.yaml");
        Topics topics = Topics.of("restartit");
        try (KafkaProducer<byte[], byte[]> producer = rawProducer(kafka.bootstrapServers());
             KafkaConsumer<byte[], byte[]> asks = committedConsumer(kafka.bootstrapServers(), topics.remap("parents"));
             KafkaConsumer<byte[], byte[]> output = committedConsumer(kafka.bootstrapServers(), topics.output("children"))) {
            try (TransformRunner runner = TransformRunner.start(spec)) {
                for (int c = 0; c < CHILDREN; c++) {
                    producer.send(new ProducerRecord<>(topics.raw("legacy", "children"), key(Integer.toString(100 + c)),
                            event("c", "{_id: " + (100 + c) + ", pid: " + c % 3 + "}", 1_000_000, c)));
                }
                producer.flush();
                poll(asks, runner, CHILDREN);
            }
            deleteRecursively(work.resolve("state"));

            try (TransformRunner restarted = TransformRunner.start(spec)) {
                for (int p = 0; p < 3; p++) {
                    producer.send(new ProducerRecord<>(topics.raw("legacy", "parents"), key(Integer.toString(p)),
                            event("c", "{_id: " + p + ", name: 'p" + p + "'}", 1_001_000, p)));
                }
                producer.flush();
                List<BsonDocument> children = new ArrayList<>();
                poll(output, restarted, CHILDREN).forEach(v -> children.add(OutputRecords.document(v)));
                CompiledSpec compiled = CompiledSpec.compile(spec);
                for (BsonDocument child : children) {
                    int parent = (child.getInt32("_id").getValue() - 100) % 3;
                    assertThat(child.get("pid")).isEqualTo(compiled.collection("parents")
                            .targetId(BsonDocument.parse("{_id: " + parent + ", name: 'p" + parent + "'}")).orElseThrow());
                }
            }
        }
    }

    private static List<byte[]> poll(KafkaConsumer<byte[], byte[]> consumer, TransformRunner runner, int count) {
        List<byte[]> values = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (values.size() < count) {
            assertThat(runner.failure()).isEmpty();
            assertThat(System.nanoTime()).as("%d records before giving up; got %d", count, values.size()).isLessThan(deadline);
            consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
        }
        return values;
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (var paths = java.nio.file.Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

}
