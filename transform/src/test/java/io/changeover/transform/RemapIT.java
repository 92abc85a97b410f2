package io.changeover.transform;

import static io.changeover.transform.TestClients.committedConsumer;
import static io.changeover.transform.TestClients.rawProducer;
import static io.changeover.transform.TransformTopologyTest.event;
import static io.changeover.transform.TransformTopologyTest.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.format.OutputRecords;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;
import io.changeover.transform.step.Resolution;
import io.changeover.transform.topics.TopicProvisioner;
import io.changeover.transform.topics.Topics;

/**
 * ID remapping on a real broker with three partitions and two application instances: children arrive before their
 * parents, parents then change payload (new ids) or are deleted; the output converges to what the pure API computes
 * from the final source with a bulk id map (what the verifier does).
 */
class RemapIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int PARENTS = 30;
    private static final String SPEC = """
            migration: remapit
            source: {uri: "mongodb://localhost:27017", database: legacy}
            target: {uri: "mongodb://localhost:27018", database: refactored}
            kafka: {bootstrap.servers: "%s"}
            transform: {state.dir: "%s", raw.topic.partitions: 3, output.topic.partitions: 3}
            collections:
              parents:
                steps:
                  - rehash-id: {fields: [name]}
              children:
                steps:
                  - remap: {field: pid, from: parents, missing: "null"}
                  - remap: {field: "links.to", from: parents, missing: drop}
            """;
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
    void referencesResolveInAnyArrivalOrderAcrossPartitionsAndInstances() {
        MigrationSpec one = SpecLoader.parse(SPEC.formatted(kafka.bootstrapServers(), work.resolve("a")), "a.yaml");
        MigrationSpec two = SpecLoader.parse(SPEC.formatted(kafka.bootstrapServers(), work.resolve("b")), "b.yaml");
        Topics topics = Topics.of("remapit");
        Map<Integer, BsonDocument> parents = new TreeMap<>();
        Map<Integer, BsonDocument> children = new TreeMap<>();
        try (TransformRunner first = TransformRunner.start(one);
             TransformRunner second = TransformRunner.start(two);
             KafkaProducer<byte[], byte[]> producer = rawProducer(kafka.bootstrapServers());
             KafkaConsumer<byte[], byte[]> consumer = committedConsumer(kafka.bootstrapServers(), topics.output("parents"), topics.output("children"))) {
            int ord = 0;
            for (int c = 0; c < PARENTS * 3; c++) {
                BsonDocument child = BsonDocument.parse("{_id: " + (1000 + c) + ", pid: " + c % PARENTS
                        + ", links: [{to: " + (c + 1) % PARENTS + "}, {to: " + (c + 2) % PARENTS + "}]}");
                children.put(1000 + c, child);
                send(producer, topics, "children", 1000 + c, "c", child, ++ord);
            }
            for (int p = 0; p < PARENTS; p++) {
                parents.put(p, BsonDocument.parse("{_id: " + p + ", name: 'parent " + p + "'}"));
                send(producer, topics, "parents", p, "c", parents.get(p), ++ord);
            }
            for (int p = 0; p < 5; p++) {
                parents.put(p, BsonDocument.parse("{_id: " + p + ", name: 'parent " + p + " v2'}"));
                send(producer, topics, "parents", p, "u", parents.get(p), ++ord);
            }
            for (int p = 5; p < 8; p++) {
                parents.remove(p);
                send(producer, topics, "parents", p, "d", null, ++ord);
            }
            producer.flush();

            Map<String, Map<String, BsonDocument>> expected = expected(CompiledSpec.compile(one), parents, children);
            Map<String, Map<String, BsonDocument>> actual = Map.of("parents", new TreeMap<>(), "children", new TreeMap<>());
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!actual.equals(expected)) {
                assertThat(first.failure()).isEmpty();
                assertThat(second.failure()).isEmpty();
                assertThat(System.nanoTime()).as("output converged before giving up").isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Map<String, BsonDocument> target = actual.get(r.topic().equals(topics.output("parents")) ? "parents" : "children");
                    String k = new String(r.key(), StandardCharsets.UTF_8);
                    if (r.value() == null) {
                        target.remove(k);
                    } else {
                        target.put(k, OutputRecords.document(r.value()));
                    }
                }
            }
            assertThat(actual.get("children")).hasSize(PARENTS * 3);
        }
    }

    @Test
    void aRawTopicWithAnotherPartitionCountThanItsAnswersTopicStopsTheStart() throws Exception {
        MigrationSpec spec = SpecLoader.parse(SPEC.formatted(kafka.bootstrapServers(), work.resolve("c"))
                .replace("migration: remapit", "migration: mismatch"), "c.yaml");
        Topics topics = Topics.of("mismatch");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            // as capture creates it (kept forever), but with another partition count
            admin.createTopics(List.of(new TopicProvisioner(admin, (short) 1).retained(topics.raw("legacy", "children"), 2)))
                    .all().get();
        }
        assertThatThrownBy(() -> TransformRunner.start(spec).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(topics.resolved("children") + " has 3 partitions but " + topics.raw("legacy", "children")
                        + " has 2");
    }

    /** What the verifier computes: the parents' new ids in bulk, then each child with that map. */
    private static Map<String, Map<String, BsonDocument>> expected(CompiledSpec compiled, Map<Integer, BsonDocument> parents,
                                                                   Map<Integer, BsonDocument> children) {
        Map<BsonValue, BsonValue> ids = new java.util.HashMap<>();
        Map<String, BsonDocument> parentTargets = new TreeMap<>();
        for (BsonDocument p : parents.values()) {
            BsonDocument target = compiled.collection("parents").apply(p).document().orElseThrow();
            ids.put(p.get("_id"), compiled.collection("parents").targetId(p).orElseThrow());
            parentTargets.put(new String(OutputRecords.key(target.get("_id")), StandardCharsets.UTF_8), target);
        }
        Map<String, BsonDocument> childTargets = new TreeMap<>();
        for (BsonDocument c : children.values()) {
            BsonDocument target = compiled.collection("children").apply(c, (collection, id) ->
                    ids.containsKey(id) ? Resolution.found(ids.get(id)) : Resolution.MISSING).document().orElseThrow();
            childTargets.put(new String(OutputRecords.key(target.get("_id")), StandardCharsets.UTF_8), target);
        }
        assertThat(childTargets.values()).anyMatch(d -> d.isNull("pid"));
        return Map.of("parents", parentTargets, "children", childTargets);
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, Topics topics, String collection, int id, String op,
                             BsonDocument doc, int ord) {
        producer.send(new ProducerRecord<>(topics.raw("legacy", collection), key(Integer.toString(id)),
                event(op, doc == null ? null : doc.toJson(), 1_000_000L + ord, ord)));
    }

}
