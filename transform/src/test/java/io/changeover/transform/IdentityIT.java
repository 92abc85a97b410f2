package io.changeover.transform;

import static io.changeover.transform.TestClients.committedConsumer;
import static io.changeover.transform.TestClients.rawProducer;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.format.DeadLetters;
import io.changeover.transform.format.IdentityKeys;
import io.changeover.transform.format.OutputRecords;
import io.changeover.transform.format.RawRecord;
import io.changeover.transform.format.RawRecords;
import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;
import io.changeover.transform.step.Resolution;
import io.changeover.transform.topics.Topics;

/**
 * Identity on a real broker with three partitions, raw records written as capture writes them (partitioned by
 * identity, ticks to every partition): a burst of parent, child and grandchild inserts in one self-referencing
 * collection with {@code missing: dead-letter} resolves with no dead letter (a parent that exists but waits is
 * pending, not missing); ids of type int64 and references written as int32, int64 and double resolve by value;
 * a change rejected by {@code validate} withdraws the document's earlier target copy; a re-snapshot after changes
 * capture missed deletes and updates what it must; documents swapping the field their target id comes from end with every target document present (a conflict
 * seen only in arrival order may be dead-lettered on the way, step {@code ownership}). The output is
 * compared with the pure transform applied to the final source (what the verifier computes).
 */
class IdentityIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int PARTITIONS = 3;
    private static final int CHAINS = 200;
    private static final int CODES = 50;
    private static final String SPEC = """
            migration: identityit
            source: {uri: "mongodb://localhost:27017", database: legacy}
            target: {uri: "mongodb://localhost:27018", database: refactored}
            kafka: {bootstrap.servers: "%s"}
            transform: {state.dir: "%s", raw.topic.partitions: 3, output.topic.partitions: 3}
            collections:
              nodes:
                steps:
                  - rehash-id: {fields: [name], keep-old-id: old}
                  - remap: {field: parent, from: nodes, missing: dead-letter, wait: 3600}
              codes:
                steps:
                  - rename: {code: _id}
              jobs:
                steps:
                  - validate: {schema: {type: object, required: [name], properties: {name: {type: string}}}}
              items:
                steps:
                  - set: {migrated: true}
            """;
    private static EmbeddedKafka kafka;

    @TempDir
    static Path work;

    private final Topics topics = Topics.of("identityit");
    private final Map<String, Map<String, BsonDocument>> source = new TreeMap<>();
    private int second = 1_000_000;
    private int ord;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void chainsNumericReferencesAndSwapsConvergeWithNoDeadLetter() {
        MigrationSpec spec = SpecLoader.parse(SPEC.formatted(kafka.bootstrapServers(), work.resolve("state")), "it.yaml");
        source.put("nodes", new HashMap<>());
        source.put("codes", new HashMap<>());
        source.put("jobs", new HashMap<>());
        source.put("items", new HashMap<>());
        Set<String> rejected = new TreeSet<>();
        try (TransformRunner runner = TransformRunner.start(spec);
             KafkaProducer<byte[], byte[]> producer = rawProducer(kafka.bootstrapServers());
             KafkaConsumer<byte[], byte[]> consumer = committedConsumer(kafka.bootstrapServers(), topics.output("nodes"), topics.output("codes"),
                     topics.output("jobs"), topics.output("items"), topics.deadLetter())) {
            for (int i = 0; i < CHAINS; i++) {   // parent, child, grandchild, as a service writes them
                long root = 3L * i;
                put(producer, "nodes", doc(new BsonInt64(root), "n" + root, BsonNull.VALUE));
                put(producer, "nodes", doc(new BsonInt64(root + 1), "n" + (root + 1), reference(root, i)));
                put(producer, "nodes", doc(new BsonInt64(root + 2), "n" + (root + 2), reference(root + 1, i + 1)));
                if (i % 10 == 9) {
                    tick(producer, "nodes");
                }
            }
            for (int i = 0; i < CODES; i++) {
                put(producer, "codes", new BsonDocument("_id", new BsonInt32(i)).append("code", new BsonString("c" + i))
                        .append("n", new BsonInt32(0)));
            }
            for (int s = 0; s < 200; s++) {   // swap the codes of two documents through a spare code
                int a = (s * 7) % CODES;
                int b = (s * 13 + 1) % CODES;
                if (a == b) {
                    continue;
                }
                String codeA = code(a);
                String codeB = code(b);
                setCode(producer, a, "spare" + s, s);
                setCode(producer, b, codeA, s);
                setCode(producer, a, codeB, s);
            }
            for (int i = 0; i < 60; i++) {   // a valid version, then every third one updated to an invalid one
                put(producer, "jobs", new BsonDocument("_id", new BsonInt32(i)).append("name", new BsonString("j" + i)));
            }
            for (int i = 0; i < 60; i += 3) {
                put(producer, "jobs", new BsonDocument("_id", new BsonInt32(i)).append("name", new BsonInt32(i)));
                source.get("jobs").remove(identity(new BsonInt32(i)));   // its current version has no target
                rejected.add(new BsonDocument("_id", new BsonInt32(i)).toJson());
            }
            resnapshot(producer);
            tick(producer, "nodes");
            tick(producer, "codes");
            tick(producer, "jobs");
            producer.flush();

            Map<String, Map<String, BsonDocument>> expected = expected(CompiledSpec.compile(spec));
            Map<String, Map<String, BsonDocument>> actual = new HashMap<>();
            List.of("nodes", "codes", "jobs", "items").forEach(c -> actual.put(c, new TreeMap<>()));
            List<String> deadLetters = new ArrayList<>();
            Set<String> invalid = new TreeSet<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!actual.equals(expected) || !invalid.equals(rejected)) {
                assertThat(runner.failure()).isEmpty();
                assertThat(deadLetters).as("dead letters").isEmpty();
                assertThat(System.nanoTime()).as("output converged before giving up").isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(topics.deadLetter())) {
                        // a swap's claim may arrive before the other document's move away (another partition):
                        // declared as a conflict, then resolved; any other dead letter is a false answer
                        String step = DeadLetters.get(r.headers(), DeadLetters.STEP);
                        if (step.endsWith("(validate)")) {
                            invalid.add(new BsonDocument("_id", RawRecords.id(r.key())).toJson());
                        } else if (!"ownership".equals(step)) {
                            deadLetters.add(DeadLetters.get(r.headers(), DeadLetters.REASON));
                        }
                        continue;
                    }
                    Map<String, BsonDocument> target = actual.get(r.topic().substring(r.topic().lastIndexOf('.') + 1));
                    String k = new String(r.key(), StandardCharsets.UTF_8);
                    if (r.value() == null) {
                        target.remove(k);
                    } else {
                        target.put(k, OutputRecords.document(r.value()));
                    }
                }
            }
            assertThat(actual.get("nodes")).hasSize(3 * CHAINS);
            assertThat(actual.get("codes")).hasSize(CODES);
            assertThat(actual.get("jobs")).hasSize(40);
            assertThat(actual.get("items")).hasSize(60);
        }
    }

    /**
     * Items streamed, then changed while capture was stopped (a quarter deleted, a quarter updated, none of it
     * captured), then snapshotted again: the reads carry the new snapshot's start, after every streamed change.
     */
    private void resnapshot(KafkaProducer<byte[], byte[]> producer) {
        for (int i = 0; i < 60; i++) {
            put(producer, "items", new BsonDocument("_id", new BsonInt32(i)).append("v", new BsonInt32(1)));
        }
        for (int i = 0; i < 60; i += 4) {
            source.get("items").remove(identity(new BsonInt32(i)));
            source.get("items").put(identity(new BsonInt32(i + 1)),
                    new BsonDocument("_id", new BsonInt32(i + 1)).append("v", new BsonInt32(2)));
        }
        for (int i = 0; i < 60; i += 4) {   // ... and 20 never streamed at all: created while stopped
            BsonDocument created = new BsonDocument("_id", new BsonInt32(1000 + i)).append("v", new BsonInt32(3));
            source.get("items").put(identity(created.get("_id")), created);
        }
        SourcePosition start = next();
        for (BsonDocument item : source.get("items").values()) {
            RawRecord.Change read = new RawRecord.Change("items", item.get("_id"), RawRecord.Operation.READ, item, start, true);
            producer.send(new ProducerRecord<>(topics.raw("legacy", "items"), RawRecords.partition(item.get("_id"), PARTITIONS),
                    RawRecords.key(read), RawRecords.value(read)));
        }
        RawRecord.SnapshotEnd end = new RawRecord.SnapshotEnd(start, PARTITIONS);
        for (int p = 0; p < PARTITIONS; p++) {
            producer.send(new ProducerRecord<>(topics.raw("legacy", "items"), p, null, RawRecords.value(end)));
        }
    }

    /** A reference to an int64 id written as int32, int64 or double, by turns. */
    private static BsonValue reference(long id, int turn) {
        return switch (turn % 3) {
            case 0 -> new BsonInt32((int) id);
            case 1 -> new BsonInt64(id);
            default -> new BsonDouble(id);
        };
    }

    private static BsonDocument doc(BsonValue id, String name, BsonValue parent) {
        return new BsonDocument("_id", id).append("name", new BsonString(name)).append("parent", parent);
    }

    private String code(int id) {
        return source.get("codes").get(identity(new BsonInt32(id))).getString("code").getValue();
    }

    private void setCode(KafkaProducer<byte[], byte[]> producer, int id, String code, int n) {
        put(producer, "codes", new BsonDocument("_id", new BsonInt32(id)).append("code", new BsonString(code))
                .append("n", new BsonInt32(n)));
    }

    /** An insert or update as capture writes it: keyed by the exact id, in the partition of its identity. */
    private void put(KafkaProducer<byte[], byte[]> producer, String collection, BsonDocument document) {
        BsonValue id = document.get("_id");
        RawRecord.Operation op = source.get(collection).containsKey(identity(id)) ? RawRecord.Operation.UPDATE
                : RawRecord.Operation.INSERT;
        source.get(collection).put(identity(id), document);
        RawRecord.Change change = new RawRecord.Change(collection, id, op, document, next(), false);
        producer.send(new ProducerRecord<>(topics.raw("legacy", collection), RawRecords.partition(id, PARTITIONS),
                RawRecords.key(change), RawRecords.value(change)));
    }

    private void tick(KafkaProducer<byte[], byte[]> producer, String collection) {
        RawRecord.Tick tick = new RawRecord.Tick(next(), PARTITIONS);
        for (int p = 0; p < PARTITIONS; p++) {
            producer.send(new ProducerRecord<>(topics.raw("legacy", collection), p, null, RawRecords.value(tick)));
        }
    }

    private SourcePosition next() {
        if (++ord > 1000) {
            ord = 1;
            second++;
        }
        return SourcePosition.of(second, ord);
    }

    /** The pure transform of the final source, references resolved by identity (what the verifier computes). */
    private Map<String, Map<String, BsonDocument>> expected(CompiledSpec compiled) {
        Map<String, BsonValue> ids = new HashMap<>();
        for (BsonDocument n : source.get("nodes").values()) {
            ids.put(identity(n.get("_id")), compiled.collection("nodes").targetId(n).orElseThrow());
        }
        Map<String, Map<String, BsonDocument>> expected = new HashMap<>();
        for (String collection : List.of("nodes", "codes", "jobs", "items")) {
            Map<String, BsonDocument> targets = new TreeMap<>();
            for (BsonDocument d : source.get(collection).values()) {
                BsonDocument target = compiled.collection(collection).apply(d, (c, id) ->
                        ids.containsKey(identity(id)) ? Resolution.found(ids.get(identity(id))) : Resolution.MISSING)
                        .document().orElseThrow();
                targets.put(new String(OutputRecords.key(target.get("_id")), StandardCharsets.UTF_8), target);
            }
            expected.put(collection, targets);
        }
        return expected;
    }

    private static String identity(BsonValue id) {
        return new String(IdentityKeys.of(id), StandardCharsets.ISO_8859_1);
    }

}
