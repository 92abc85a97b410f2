package io.changeover.transform;

import static io.changeover.transform.TransformTopologyTest.event;
import static io.changeover.transform.TransformTopologyTest.key;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Properties;

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
 * Records per second through the topology (TopologyTestDriver, RocksDB stores) for a spec using normalization,
 * rehash-id, remap (children before parents), dedupe and validate. A benchmark, not a test: it runs only with
 * {@code -Dbench=true}: {@code mvn -B -q -pl transform test -Dtest=TopologyBenchmark -Dbench=true -Dbench.records=20000}.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class TopologyBenchmark {
    private static final String SPEC = """
            migration: bench
            source: {uri: "mongodb://localhost:27017", database: legacy}
            target: {uri: "mongodb://localhost:27018", database: refactored}
            kafka: {bootstrap.servers: "localhost:9092"}
            collections:
              genes:
                steps:
                  - rehash-id: {fields: [symbol]}
                  - dedupe: {policy: keep-latest, by: version}
              jobs:
                steps:
                  - map: {field: status, values: {completed: completed, COMPLETED: completed, done: completed}, default: other}
                  - keep: {status: completed}
                  - rename: {job_type: type}
                  - convert: {attempts: int}
                  - rehash-id: {fields: [name], keep-old-id: legacy_id}
                  - remap: {field: gene, from: genes}
                  - set: {schema_version: 2}
                  - validate: {schema: {type: object, required: [name, gene], properties: {attempts: {type: integer}}}}
            """;

    @TempDir
    Path state;

    /** The spec, without the steps named in {@code omit} (comma-separated kinds). */
    static String spec(String omit) {
        String yaml = SPEC;
        for (String omitted : omit.split(",")) {
            if (!omitted.isBlank()) {
                yaml = yaml.lines().filter(l -> !l.contains("- " + omitted + ":")).reduce("", (a, b) -> a + b + "\n");
            }
        }
        return yaml;
    }

    /** Raw event of job {@code i} of {@code n}: its gene is one of n / 5. */
    static byte[] job(int i, int n) {
        return event("r", "{_id: " + i + ", name: 'job " + i + "', status: 'COMPLETED', job_type: 'blast', attempts: '2',"
                + " gene: " + (100_000 + i % (n / 5)) + "}", 1_000_000, i);
    }

    /** Raw event of gene row {@code i}: five rows (versions 0-4) per gene id, all with one symbol. */
    static byte[] gene(int i) {
        return event("r", "{_id: " + (100_000 + i / 5) + ", symbol: 'G" + i / 5 + "', version: " + i % 5 + "}", 1_000_000, i);
    }

    @Test
    void throughput() {
        int n = Integer.getInteger("bench.records", 20_000);
        MigrationSpec spec = SpecLoader.parse(spec(System.getProperty("bench.omit", "")), "bench.yaml");
        Topics topics = Topics.of("bench");
        Properties props = TransformConfig.of(spec).streamsProperties(spec);
        props.put("state.dir", state.toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(TransformTopology.build(spec), props)) {
            TestInputTopic<byte[], byte[]> jobs = driver.createInputTopic(topics.raw("legacy", "jobs"),
                    new ByteArraySerializer(), new ByteArraySerializer());
            TestInputTopic<byte[], byte[]> genes = driver.createInputTopic(topics.raw("legacy", "genes"),
                    new ByteArraySerializer(), new ByteArraySerializer());
            TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic(topics.output("jobs"),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                jobs.pipeInput(key(Integer.toString(i)), job(i, n));
            }
            for (int i = 0; i < n; i++) {
                genes.pipeInput(key(Integer.toString(100_000 + i / 5)), gene(i));
            }
            long written = out.readRecordsToList().stream().filter(r -> r.value() != null).count();
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("BENCH %d raw records (%d jobs, %d genes) in %.1f s: %.0f records/s; %d job records written%n",
                    2 * n, n, n, seconds, 2 * n / seconds, written);
            assertThat(written).isGreaterThanOrEqualTo(n);
        }
    }
}
