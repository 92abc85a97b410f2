package io.changeover.transform;

import static io.changeover.transform.TransformTopologyTest.event;
import static io.changeover.transform.TransformTopologyTest.key;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.transform.format.OutputRecords;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;
import io.changeover.transform.topics.Topics;

/**
 * Records per second through the running transform (embedded broker, exactly_once_v2, RocksDB stores) for the
 * {@link TopologyBenchmark} spec: the raw topics are filled first, then the time from start until every job is written
 * (with remap: with its gene remapped, since a job waits until its gene is known) is measured. A benchmark, not a test: {@code mvn -B -q -pl transform verify
 * -Dit.test=BrokerBenchmarkIT -Dtest=none -Dbench=true -Dbench.records=20000}.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class BrokerBenchmarkIT {
    @TempDir
    Path state;

    @Test
    void throughput() {
        int n = Integer.getInteger("bench.records", 20_000);
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            MigrationSpec spec = SpecLoader.parse(TopologyBenchmark.spec(System.getProperty("bench.omit", ""))
                    .replace("collections:", "transform: {state.dir: \"" + state + "\"}\ncollections:")
                    .replace("localhost:9092", kafka.bootstrapServers()), "bench.yaml");
            Topics topics = Topics.of("bench");
            TransformRunner.provisionTopics(io.changeover.transform.engine.CompiledSpec.compile(spec), TransformConfig.of(spec));
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 20,
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                    ProducerConfig.PARTITIONER_CLASS_CONFIG, io.changeover.transform.format.RawPartitioner.class.getName()),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < n; i++) {
                    producer.send(new ProducerRecord<>(topics.raw("legacy", "jobs"), key(Integer.toString(i)),
                            TopologyBenchmark.job(i, n)));
                    producer.send(new ProducerRecord<>(topics.raw("legacy", "genes"), key(Integer.toString(100_000 + i / 5)),
                            TopologyBenchmark.gene(i)));
                }
            }
            long start = System.nanoTime();
            Set<String> written = new HashSet<>();
            try (TransformRunner runner = TransformRunner.start(spec);
                 KafkaConsumer<byte[], byte[]> consumer = consumer(kafka, topics.output("jobs"))) {
                long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
                while (written.size() < n) {
                    assertThat(runner.failure()).isEmpty();
                    assertThat(System.nanoTime()).isLessThan(deadline);
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        BsonDocument job = OutputRecords.document(r.value());
                        if (job != null) {
                            written.add(job.getString("_id").getValue());
                        }
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("BENCH broker: %d raw records (%d jobs, %d genes) in %.1f s from start: %.0f records/s%n",
                    2 * n, n, n, seconds, 2 * n / seconds);
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(EmbeddedKafka kafka, String topic) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
