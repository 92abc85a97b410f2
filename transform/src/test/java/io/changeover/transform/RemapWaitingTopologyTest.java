package io.changeover.transform;

import static io.changeover.transform.TransformTopologyTest.event;
import static io.changeover.transform.TransformTopologyTest.key;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.format.OutputRecords;
import io.changeover.transform.format.RawRecord;
import io.changeover.transform.format.RawRecords;
import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.format.WaitingDocuments;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;
import io.changeover.transform.topics.Topics;

/**
 * The count of documents waiting for {@code remap} answers that the transform publishes for lag
 * ({@link Topics#remapWaiting}): documents that wait are work no topic shows once their records are consumed. A
 * reference cycle through a step that may change {@code _id} waits until {@code wait} seconds of source time have
 * passed; a reference to a document never written waits until a tick passes it.
 */
class RemapWaitingTopologyTest {
    private static final String SPEC = """
            migration: waits
            source: {uri: "mongodb://localhost:27017", database: legacy}
            target: {uri: "mongodb://localhost:27018", database: refactored}
            kafka: {bootstrap.servers: "localhost:9092"}
            collections:
              nodes:
                steps:
                  - remap: {field: next, from: nodes, wait: 60}
                  - rehash-id: {fields: [name]}
            """;
    private static final MigrationSpec spec = SpecLoader.parse(SPEC, "waits.yaml");
    private static final Topics topics = Topics.of("waits");

    @TempDir
    Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> nodes;
    private TestOutputTopic<byte[], byte[]> written;
    private TestOutputTopic<byte[], byte[]> waitingTopic;
    private final Map<String, BsonDocument> target = new TreeMap<>();
    private WaitingDocuments waiting;

    @BeforeEach
    void start() {
        Properties props = TransformConfig.of(spec).streamsProperties(spec);
        props.put("state.dir", stateDir.toString());
        driver = new TopologyTestDriver(TransformTopology.build(spec), props);
        nodes = driver.createInputTopic(topics.raw("legacy", "nodes"), new ByteArraySerializer(), new ByteArraySerializer());
        written = driver.createOutputTopic(topics.output("nodes"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        waitingTopic = driver.createOutputTopic(topics.remapWaiting("nodes"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void theTopicIsOneTheTransformReadsNoneOfAndLagReadsForEveryRemappingCollection() {
        assertThat(TransformTopology.remapWaitingTopics(CompiledSpec.compile(spec)))
                .containsExactly(topics.remapWaiting("nodes"));
        assertThat(TransformTopology.inputTopics(CompiledSpec.compile(spec))).doesNotContain(topics.remapWaiting("nodes"));
    }

    @Test
    void aReferenceCycleCountsBothDocumentsUntilItsWaitEndsAndThenTheyAreWritten() {
        nodes.pipeInput(key("1"), event("c", "{_id: 1, name: 'a', next: 2}", 100_000, 1));
        nodes.pipeInput(key("2"), event("c", "{_id: 2, name: 'b', next: 1}", 100_000, 2));
        tick(101);
        tick(160);   // 60 s after they started waiting: not more

        assertThat(targets()).as("nothing is written for documents that wait").isEmpty();
        assertThat(waiting()).isEqualTo(new WaitingDocuments("nodes", 0, 2, SourcePosition.of(100, 1)));

        tick(161);   // more than 60 s of source time: the waits end, each is then answered with the other's id
        Map<String, BsonDocument> written = targets();
        assertThat(written).hasSize(2);
        BsonValue a = CompiledSpec.compile(spec).collection("nodes").targetId(BsonDocument.parse("{_id: 1, name: 'a'}")).orElseThrow();
        BsonValue b = CompiledSpec.compile(spec).collection("nodes").targetId(BsonDocument.parse("{_id: 2, name: 'b'}")).orElseThrow();
        assertThat(written.get(outputKey(a)).get("next")).isEqualTo(b);
        assertThat(written.get(outputKey(b)).get("next")).isEqualTo(a);
        assertThat(waiting().waiting()).isZero();
    }

    @Test
    void aReferenceToADocumentNeverWrittenCountsUntilATickPassesItAndADeleteEndsAWait() {
        nodes.pipeInput(key("1"), event("c", "{_id: 1, name: 'a', next: 99}", 100_000, 1));
        nodes.pipeInput(key("2"), event("c", "{_id: 2, name: 'b', next: 98}", 100_000, 2));
        assertThat(waiting().waiting()).isEqualTo(2);

        nodes.pipeInput(key("2"), event("d", null, 100_000, 3));
        assertThat(waiting().waiting()).as("a deleted document no longer waits").isEqualTo(1);

        tick(101);   // every partition has passed the referring change: 99 was never written
        assertThat(waiting().waiting()).isZero();
        assertThat(targets()).hasSize(1);
    }

    @Test
    void theCountCarriesThePositionTheLongestWaitingDocumentWaitsSinceAsWaitsEnd() {
        nodes.pipeInput(key("1"), event("c", "{_id: 1, name: 'a', next: 99}", 100_000, 1));
        nodes.pipeInput(key("2"), event("c", "{_id: 2, name: 'b', next: 98}", 103_000, 1));
        nodes.pipeInput(key("3"), event("c", "{_id: 3, name: 'c', next: 97}", 105_000, 1));
        assertThat(waiting().oldest()).isEqualTo(SourcePosition.of(100, 1));

        nodes.pipeInput(key("2"), event("d", null, 106_000, 1));
        assertThat(waiting().oldest()).as("a younger wait ended").isEqualTo(SourcePosition.of(100, 1));

        nodes.pipeInput(key("1"), event("d", null, 107_000, 1));
        assertThat(waiting()).as("the oldest wait ended: the next oldest is found")
                .isEqualTo(new WaitingDocuments("nodes", 0, 1, SourcePosition.of(105, 1)));

        nodes.pipeInput(key("3"), event("d", null, 108_000, 1));
        assertThat(waiting()).isEqualTo(new WaitingDocuments("nodes", 0, 0));
    }

    @Test
    void whenTheOldestWaitsExpireTheCountCarriesTheOldestLeft() {
        nodes.pipeInput(key("1"), event("c", "{_id: 1, name: 'a', next: 2}", 100_000, 1));
        nodes.pipeInput(key("2"), event("c", "{_id: 2, name: 'b', next: 1}", 100_000, 2));
        nodes.pipeInput(key("3"), event("c", "{_id: 3, name: 'c', next: 4}", 130_000, 1));
        nodes.pipeInput(key("4"), event("c", "{_id: 4, name: 'd', next: 3}", 130_000, 2));
        tick(131);
        assertThat(waiting()).isEqualTo(new WaitingDocuments("nodes", 0, 4, SourcePosition.of(100, 1)));

        tick(161);   // more than 60 s after the first cycle began waiting, not after the second
        assertThat(waiting()).isEqualTo(new WaitingDocuments("nodes", 0, 2, SourcePosition.of(130, 1)));
    }

    /** A tick at {@code seconds} on the one partition of the test driver. */
    private void tick(int seconds) {
        nodes.pipeInput(null, RawRecords.value(new RawRecord.Tick(SourcePosition.of(seconds, 0), 1)));
    }

    /** The latest count published so far. */
    private WaitingDocuments waiting() {
        List<TestRecord<byte[], byte[]>> records = waitingTopic.readRecordsToList();
        for (TestRecord<byte[], byte[]> r : records) {
            waiting = WaitingDocuments.read(r.value());
            assertThat(r.key()).isEqualTo(waiting.key());
        }
        assertThat(waiting).as("a count published on " + topics.remapWaiting("nodes")).isNotNull();
        return waiting;
    }

    /** The target documents written so far, by output key. */
    private Map<String, BsonDocument> targets() {
        for (TestRecord<byte[], byte[]> r : written.readRecordsToList()) {
            if (r.value() == null) {
                target.remove(new String(r.key()));
            } else {
                target.put(new String(r.key()), OutputRecords.document(r.value()));
            }
        }
        return target;
    }

    private static String outputKey(BsonValue id) {
        return new String(OutputRecords.key(id));
    }
}
