package io.changeover.transform;

import static io.changeover.transform.TransformTopologyTest.event;
import static io.changeover.transform.TransformTopologyTest.key;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.changeover.transform.format.OutputRecords;
import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;
import io.changeover.transform.topics.Topics;

/**
 * Dedupe candidates of one target id come from different raw partitions, so a candidate with an older source position
 * can arrive after one with a newer position. The sink refuses a write older than what the target holds; the combined
 * document must therefore never carry a position older than one already written for its target id, or the target
 * keeps an outdated combination (found by the demo: a target holding the wrong duplicate's legacy id).
 */
class DedupeOrderTopologyTest {
    private static final MigrationSpec SPEC = SpecLoader.parse("""
            migration: demo
            source: {uri: "mongodb://localhost:27017", database: legacy}
            target: {uri: "mongodb://localhost:27018", database: refactored}
            kafka: {bootstrap.servers: "localhost:9092"}
            collections:
              genes:
                steps:
                  - rehash-id: {fields: [symbol]}
                  - dedupe: {policy: keep-first}
            """, "dedupe.yaml");
    private static final Topics TOPICS = Topics.of("demo");

    @TempDir
    Path state;
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> genes;
    private TestOutputTopic<byte[], byte[]> out;

    @BeforeEach
    void start() {
        Properties props = TransformConfig.of(SPEC).streamsProperties(SPEC);
        props.put("state.dir", state.toString());
        driver = new TopologyTestDriver(TransformTopology.build(SPEC), props);
        genes = driver.createInputTopic(TOPICS.raw("legacy", "genes"), new ByteArraySerializer(), new ByteArraySerializer());
        out = driver.createOutputTopic(TOPICS.output("genes"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aCandidateArrivingLateWithAnOlderPositionIsWrittenWithTheNewestPositionOfItsTarget() {
        genes.pipeInput(key("2"), event("c", "{_id: 2, symbol: 'TP53', v: 'second'}", 2_000_000, 1));
        genes.pipeInput(key("1"), event("c", "{_id: 1, symbol: 'TP53', v: 'first'}", 1_000_000, 1));

        List<TestRecord<byte[], byte[]>> records = out.readRecordsToList();
        assertThat(records).hasSize(2);
        assertThat(records.get(1).key()).isEqualTo(records.get(0).key());
        assertThat(OutputRecords.document(records.get(1).value()).getString("v").getValue()).isEqualTo("first");
        assertThat(position(records.get(1))).isGreaterThanOrEqualTo(position(records.get(0)));
    }

    @Test
    void theLastCandidateWithdrawnLeavesATombstoneNoOlderThanWhatWasWritten() {
        genes.pipeInput(key("2"), event("c", "{_id: 2, symbol: 'TP53'}", 5_000_000, 1));
        genes.pipeInput(key("1"), event("c", "{_id: 1, symbol: 'TP53'}", 1_000_000, 1));
        genes.pipeInput(key("2"), event("d", null, 6_000_000, 1));
        genes.pipeInput(key("1"), event("d", null, 2_000_000, 1));

        List<TestRecord<byte[], byte[]>> records = out.readRecordsToList();
        TestRecord<byte[], byte[]> last = records.get(records.size() - 1);
        assertThat(last.value()).isNull();
        assertThat(position(last)).isEqualTo(records.stream().map(DedupeOrderTopologyTest::position).max(Long::compare).orElseThrow());
    }

    @Test
    void aClaimArrivingAfterANewerCandidateWithdrewCarriesTheWithdrawalsPosition() {
        genes.pipeInput(key("1"), event("c", "{_id: 1, symbol: 'TP53'}", 1_000_000, 1));
        genes.pipeInput(key("2"), event("c", "{_id: 2, symbol: 'TP53'}", 2_000_000, 1));
        genes.pipeInput(key("2"), event("u", "{_id: 2, symbol: 'EGFR'}", 3_000_000, 1)); // leaves TP53
        genes.pipeInput(key("3"), event("c", "{_id: 3, symbol: 'TP53'}", 1_500_000, 1)); // late, older

        List<TestRecord<byte[], byte[]>> records = out.readRecordsToList();
        TestRecord<byte[], byte[]> last = records.get(records.size() - 1);
        assertThat(last.key()).isEqualTo(records.get(0).key());
        long newestOfTp53 = records.stream().filter(r -> java.util.Arrays.equals(r.key(), last.key()))
                .map(DedupeOrderTopologyTest::position).max(Long::compare).orElseThrow();
        assertThat(position(last)).as("not older than the withdrawal written before it").isEqualTo(newestOfTp53);
    }

    private static long position(TestRecord<byte[], byte[]> record) {
        SourcePosition position = OutputRecords.position(record.headers());
        return position.value();
    }
}
