package io.changeover.transform;

import static io.changeover.transform.TransformTopologyTest.event;
import static io.changeover.transform.TransformTopologyTest.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.changeover.transform.format.OutputRecords;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecException;
import io.changeover.transform.spec.SpecLoader;
import io.changeover.transform.topics.Topics;

/** The lookup step in the topology: the side collection's raw topic feeds a store, and its changes re-emit lookers. */
class LookupTopologyTest {
    private static final String HEADER = """
            migration: demo
            source: {uri: "mongodb://localhost:27017", database: legacy}
            target: {uri: "mongodb://localhost:27018", database: refactored}
            kafka: {bootstrap.servers: "localhost:9092"}
            """;
    // the looking collection comes first: the topology must still add the side collection's raw topic before it
    private static final MigrationSpec SPEC = SpecLoader.parse(HEADER + """
            collections:
              jobs:
                steps:
                  - lookup: {from: jobs_archive, copy: {"result.matrix": matrix}}
                  - rename: {name: title}
              jobs_archive:
                steps:
                  - keep: {_id: {$exists: false}}
            """, "demo.yaml");
    private static final Topics TOPICS = Topics.of("demo");

    @TempDir
    Path state;
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> jobs;
    private TestInputTopic<byte[], byte[]> archive;
    private TestOutputTopic<byte[], byte[]> out;
    private TestOutputTopic<byte[], byte[]> archiveOut;

    @BeforeEach
    void start() {
        Properties props = TransformConfig.of(SPEC).streamsProperties(SPEC);
        props.put("state.dir", state.toString());
        driver = new TopologyTestDriver(TransformTopology.build(SPEC), props);
        jobs = driver.createInputTopic(TOPICS.raw("legacy", "jobs"), new ByteArraySerializer(), new ByteArraySerializer());
        archive = driver.createInputTopic(TOPICS.raw("legacy", "jobs_archive"), new ByteArraySerializer(),
                new ByteArraySerializer());
        out = driver.createOutputTopic(TOPICS.output("jobs"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        archiveOut = driver.createOutputTopic(TOPICS.output("jobs_archive"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aSideDocumentSeenFirstFillsTheField() {
        archive.pipeInput(key("1"), event("r", "{_id: 1, matrix: [[1, 2]]}", 1000, 1));
        jobs.pipeInput(key("1"), event("r", "{_id: 1, name: 'a', result: {score: 3}}", 1000, 2));

        assertThat(documents()).containsExactly(
                BsonDocument.parse("{_id: 1, result: {score: 3, matrix: [[1, 2]]}, title: 'a'}"));
        assertThat(archiveOut.isEmpty()).as("the side collection itself is filtered out").isTrue();
    }

    @Test
    void aLateSideDocumentAndItsUpdatesReachTheTarget() {
        jobs.pipeInput(key("1"), event("c", "{_id: 1, name: 'a', result: {score: 3}}", 1000, 1));
        archive.pipeInput(key("1"), event("c", "{_id: 1, matrix: [[1, 2]]}", 2000, 1));
        archive.pipeInput(key("1"), event("u", "{_id: 1, matrix: [[5, 6]]}", 3000, 1));
        archive.pipeInput(key("1"), event("u", "{_id: 1, matrix: [[5, 6]]}", 3500, 1));   // unchanged: nothing
        archive.pipeInput(key("1"), event("d", null, 4000, 1));

        assertThat(documents()).containsExactly(
                BsonDocument.parse("{_id: 1, result: {score: 3}, title: 'a'}"),
                BsonDocument.parse("{_id: 1, result: {score: 3, matrix: [[1, 2]]}, title: 'a'}"),
                BsonDocument.parse("{_id: 1, result: {score: 3, matrix: [[5, 6]]}, title: 'a'}"),
                BsonDocument.parse("{_id: 1, result: {score: 3}, title: 'a'}"));
    }

    @Test
    void aReEmittedDocumentKeepsItsOwnSourcePosition() {
        jobs.pipeInput(key("1"), event("c", "{_id: 1, name: 'a'}", 1000, 1));
        archive.pipeInput(key("1"), event("c", "{_id: 1, matrix: 'm'}", 9000, 1));

        List<TestRecord<byte[], byte[]>> records = out.readRecordsToList();
        assertThat(records).hasSize(2);
        assertThat(records.get(1).headers().lastHeader(OutputRecords.POSITION_HEADER).value())
                .isEqualTo(records.get(0).headers().lastHeader(OutputRecords.POSITION_HEADER).value());
    }

    @Test
    void sideChangesForDocumentsThatDoNotExistOrWereDeletedEmitNothing() {
        archive.pipeInput(key("7"), event("c", "{_id: 7, matrix: 'm'}", 1000, 1));
        jobs.pipeInput(key("2"), event("c", "{_id: 2, name: 'b'}", 1000, 2));
        jobs.pipeInput(key("2"), event("d", null, 2000, 1));
        out.readRecordsToList();

        archive.pipeInput(key("2"), event("c", "{_id: 2, matrix: 'm'}", 3000, 1));

        assertThat(out.isEmpty()).isTrue();
    }

    @Test
    void aLookupFromACollectionNotInTheSpecFailsWhenTheSpecLoads() {
        assertThatThrownBy(() -> SpecLoader.parse(HEADER + """
                collections:
                  jobs:
                    steps:
                      - lookup: {from: elsewhere, copy: {a: a}}
                """, "bad.yaml"))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("bad.yaml:8, collection 'jobs', step 1 (lookup): looks up 'elsewhere'")
                .hasMessageContaining("list it under collections");
    }

    @Test
    void lookupsInACycleCannotBeBuilt() {
        MigrationSpec spec = SpecLoader.parse(HEADER + """
                collections:
                  a:
                    steps:
                      - lookup: {from: b, copy: {x: x}}
                  b:
                    steps:
                      - lookup: {from: a, copy: {y: y}}
                """, "cycle.yaml");

        assertThatThrownBy(() -> TransformTopology.build(spec))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("lookups form a cycle: a -> b -> a");
    }

    private List<BsonDocument> documents() {
        return out.readValuesToList().stream().map(OutputRecords::document).toList();
    }
}
