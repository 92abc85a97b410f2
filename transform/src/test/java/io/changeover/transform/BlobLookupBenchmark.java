package io.changeover.transform;

import static io.changeover.transform.TransformTopologyTest.event;
import static io.changeover.transform.TransformTopologyTest.key;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Base64;
import java.util.Properties;
import java.util.Random;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;
import io.changeover.transform.topics.Topics;

/**
 * Records per second through the topology (TopologyTestDriver, RocksDB stores, filesystem object store) for
 * {@code dehydrate} (a list of dicts to a CSV blob, and a binary of {@code bench.blob.bytes}, half of them shared) and
 * {@code lookup} (half the documents have a side document, which arrives after them). A benchmark, not a test:
 * {@code mvn -B -q -pl transform test -Dtest=BlobLookupBenchmark -Dbench=true -Dbench.records=10000}
 * ({@code -Dbench.image.min.size=100000000} keeps the binaries inline, to see what moving them costs).
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class BlobLookupBenchmark {
    @TempDir
    Path work;

    @Test
    void measure() {
        int records = Integer.getInteger("bench.records", 10_000);
        int blobBytes = Integer.getInteger("bench.blob.bytes", 16 * 1024);
        int imageMinSize = Integer.getInteger("bench.image.min.size", 1024);   // larger than the binary: kept inline
        MigrationSpec spec = SpecLoader.parse("""
                migration: bench
                source: {uri: "mongodb://localhost:27017", database: legacy}
                target: {uri: "mongodb://localhost:27018", database: refactored}
                kafka: {bootstrap.servers: "localhost:9092"}
                transform: {object.store.path: "%s"}
                collections:
                  jobs:
                    steps:
                      - lookup: {from: archive, copy: {matrix: matrix}}
                      - convert: {rows: csv}
                      - dehydrate: {field: rows, min-size: 64, bucket: {field: type, values: {blast: blast-results}, default: results}}
                      - dehydrate: {field: image, min-size: %d, bucket: images}
                  archive:
                    steps:
                      - keep: {_id: {$exists: false}}
                """.formatted(work.resolve("objects"), imageMinSize), "bench.yaml");
        Properties props = TransformConfig.of(spec).streamsProperties(spec);
        props.put("state.dir", work.resolve("state").toString());
        Topics topics = Topics.of("bench");
        Random random = new Random(1);
        byte[] shared = new byte[blobBytes];
        random.nextBytes(shared);
        try (TopologyTestDriver driver = new TopologyTestDriver(TransformTopology.build(spec), props)) {
            TestInputTopic<byte[], byte[]> jobs = driver.createInputTopic(topics.raw("legacy", "jobs"),
                    new ByteArraySerializer(), new ByteArraySerializer());
            TestInputTopic<byte[], byte[]> archive = driver.createInputTopic(topics.raw("legacy", "archive"),
                    new ByteArraySerializer(), new ByteArraySerializer());
            TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic(topics.output("jobs"),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            long start = System.nanoTime();
            for (int i = 0; i < records; i++) {
                byte[] image = shared;
                if (i % 2 == 1) {
                    image = new byte[blobBytes];
                    random.nextBytes(image);
                }
                jobs.pipeInput(key(Integer.toString(i)), event("r", "{_id: " + i + ", type: '" + (i % 3 == 0 ? "blast" : "hmm")
                        + "', rows: [{gene: 'g" + i + "', score: " + i + "}, {gene: 'h', score: 2}, {gene: 'k', score: 3}],"
                        + " image: {$binary: {base64: '" + Base64.getEncoder().encodeToString(image) + "', subType: '00'}}}",
                        1000, i));
            }
            for (int i = 0; i < records; i += 2) {
                archive.pipeInput(key(Integer.toString(i)), event("c", "{_id: " + i + ", matrix: [[" + i + "]]}", 2000, i));
            }
            long outputs = out.getQueueSize();
            double seconds = (System.nanoTime() - start) / 1e9;
            int in = records + records / 2;
            System.out.printf("BlobLookupBenchmark: %d raw records (%d jobs with a %d-byte binary, %d side documents) "
                    + "-> %d output records in %.1f s: %.0f raw records/s%n", in, records, blobBytes, records / 2,
                    outputs, seconds, in / seconds);
            assertThat(outputs).isEqualTo(records + records / 2L);
        }
    }
}
