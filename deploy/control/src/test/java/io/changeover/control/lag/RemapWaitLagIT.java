package io.changeover.control.lag;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.changeover.control.cutover.CutoverContext;
import io.changeover.control.cutover.CutoverContexts;
import io.changeover.control.cutover.CutoverOptions;
import io.changeover.control.cutover.FenceHook;
import io.changeover.control.status.LagThreshold;
import io.changeover.control.status.ReadinessRule;
import io.changeover.control.status.StatusSources;
import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.embedded.mongo.EmbeddedMongo;
import io.changeover.transform.TransformRunner;
import io.changeover.transform.TransformTopology;
import io.changeover.transform.engine.CollectionTransform;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.format.OutputRecords;
import io.changeover.transform.format.RawRecord;
import io.changeover.transform.format.RawRecords;
import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;
import io.changeover.transform.topics.Topics;

/**
 * Two documents referring to each other, through a {@code remap} followed by a step that may change {@code _id}: each
 * says it exists but its target id is not known yet, so nobody answers either, and both wait until {@code wait}
 * seconds of source time have passed. Meanwhile every topic the transform reads is consumed. Lag as {@code status}
 * and {@code cutover} measure it from another process than the transform (Kafka and the source only) must count them
 * until a tick past the wait ends it and both are written. Raw records are written as capture writes them
 * (partitioned by identity, ticks to every partition), on a broker with three partitions.
 */
class RemapWaitLagIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final int PARTITIONS = 3;
    private static final int WAIT_SECONDS = 60;
    private static final int START = 1_000_000;
    private static final String SPEC = """
            migration: waitlag
            source: {uri: "%s", database: legacy}
            target: {uri: "%s", database: refactored}
            kafka: {bootstrap.servers: "%s"}
            transform: {state.dir: "%s", raw.topic.partitions: 3, output.topic.partitions: 3}
            collections:
              nodes:
                steps:
                  - remap: {field: next, from: nodes, wait: %d}
                  - rehash-id: {fields: [name]}
            """;

    @TempDir
    Path work;

    @Test
    void aReferenceCycleIsTransformLagUntilItsWaitEndsAndBothDocumentsAreWritten() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); EmbeddedMongo source = EmbeddedMongo.start();
             EmbeddedMongo target = EmbeddedMongo.start()) {
            MigrationSpec spec = SpecLoader.parse(SPEC.formatted(source.connectionString(), target.connectionString(),
                    kafka.bootstrapServers(), work.resolve("state"), WAIT_SECONDS), "it.yaml");
            Topics topics = Topics.of(spec.name());
            BsonDocument a = BsonDocument.parse("{_id: 1, name: 'a', next: 2}");
            BsonDocument b = BsonDocument.parse("{_id: 2, name: 'b', next: 1}");
            try (TransformRunner runner = TransformRunner.start(spec);
                 KafkaProducer<byte[], byte[]> producer = producer(kafka.bootstrapServers());
                 Admin admin = Admin.create(Map.copyOf(spec.kafka()));
                 StatusSources status = StatusSources.remote(spec, new ReadinessRule(LagThreshold.DEFAULT))) {
                CutoverContext cutover = CutoverContexts.remote(spec, status, FenceHook.WRITES_ALREADY_STOPPED,
                        CutoverOptions.defaults());
                insert(producer, topics, a, SourcePosition.of(START, 1));
                insert(producer, topics, b, SourcePosition.of(START, 2));
                tick(producer, topics, START + 1);   // every partition has passed both: neither is "never written"
                producer.flush();

                ConsumerGroupLag groups = new ConsumerGroupLag(admin);
                List<String> inputs = TransformTopology.inputTopics(CompiledSpec.compile(spec));
                await("the transform consumed every record", runner,
                        () -> groups.lag(topics.transformApplicationId(), inputs) == 0);
                assertThat(written(kafka.bootstrapServers(), topics.output("nodes"))).as("nothing written for them").isEmpty();
                for (LagReport lag : List.of(status.collector().lag(), cutover.lag())) {
                    assertThat(lag.waiting()).as("documents waiting").isEqualTo(2);
                    assertThat(lag.transform().events()).as("transform lag").isEqualTo(2);
                    assertThat(lag.zero()).isFalse();
                }

                tick(producer, topics, START + WAIT_SECONDS + 1);   // the waits end: each gets the other's id
                producer.flush();
                await("transform lag zero", runner, () -> status.collector().lag().transform().events() == 0);
                assertThat(cutover.lag().transform().events()).isZero();
                CollectionTransform nodes = CompiledSpec.compile(spec).collection("nodes");
                BsonValue idA = nodes.targetId(a).orElseThrow();
                BsonValue idB = nodes.targetId(b).orElseThrow();
                Map<String, BsonDocument> written = written(kafka.bootstrapServers(), topics.output("nodes"));
                assertThat(written).hasSize(2);
                assertThat(written.get(key(idA)).get("next")).isEqualTo(idB);
                assertThat(written.get(key(idB)).get("next")).isEqualTo(idA);
            }
        }
    }

    private static void insert(KafkaProducer<byte[], byte[]> producer, Topics topics, BsonDocument document,
                               SourcePosition position) {
        RawRecord.Change change = new RawRecord.Change("nodes", document.get("_id"), RawRecord.Operation.INSERT, document,
                position, false);
        producer.send(new ProducerRecord<>(topics.raw("legacy", "nodes"), RawRecords.partition(change.id(), PARTITIONS),
                RawRecords.key(change), RawRecords.value(change)));
    }

    /** A tick at {@code seconds} to every partition, as capture writes them. */
    private static void tick(KafkaProducer<byte[], byte[]> producer, Topics topics, int seconds) {
        RawRecord.Tick tick = new RawRecord.Tick(SourcePosition.of(seconds, 0), PARTITIONS);
        for (int p = 0; p < PARTITIONS; p++) {
            producer.send(new ProducerRecord<>(topics.raw("legacy", "nodes"), p, null, RawRecords.value(tick)));
        }
    }

    /** The target documents in the committed records of an output topic, by key. */
    private static Map<String, BsonDocument> written(String bootstrap, String topic) {
        Map<String, BsonDocument> documents = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    String key = new String(r.key(), StandardCharsets.UTF_8);
                    if (r.value() == null) {
                        documents.remove(key);
                    } else {
                        documents.put(key, OutputRecords.document(r.value()));
                    }
                }
            }
        }
        return documents;
    }

    private static String key(BsonValue id) {
        return new String(OutputRecords.key(id), StandardCharsets.UTF_8);
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void await(String what, TransformRunner runner, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(runner.failure()).as("transform failure while waiting for " + what).isEmpty();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);   // polling the broker for a state the transform reaches on its own
        }
    }
}
