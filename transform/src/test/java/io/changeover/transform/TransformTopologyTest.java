package io.changeover.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.changeover.transform.format.DeadLetters;
import io.changeover.transform.format.OutputRecords;
import io.changeover.transform.format.RawRecord;
import io.changeover.transform.format.RawRecords;
import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;
import io.changeover.transform.topics.Topics;

class TransformTopologyTest {
    private static final String SPEC = """
            migration: demo
            source: {uri: "mongodb://localhost:27017", database: legacy}
            target: {uri: "mongodb://localhost:27018", database: refactored}
            kafka: {bootstrap.servers: "localhost:9092"}
            collections:
              jobs:
                into: tasks
                steps:
                  - keep: {status: completed}
                  - rename: {job_type: type}
              codes:
                steps:
                  - rename: {code: _id}
            """;
    private static final MigrationSpec spec = SpecLoader.parse(SPEC, "demo.yaml");
    private static final Topics topics = Topics.of("demo");
    private static final JsonWriterSettings CANONICAL = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();

    @TempDir
    Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> jobs;
    private TestInputTopic<byte[], byte[]> codes;
    private TestOutputTopic<byte[], byte[]> tasks;
    private TestOutputTopic<byte[], byte[]> codesOut;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void start() {
        driver = newDriver(stateDir.resolve("a"));
        jobs = input(driver, "jobs");
        codes = input(driver, "codes");
        tasks = output(driver, "tasks");
        codesOut = output(driver, "codes");
        deadLetters = driver.createOutputTopic(topics.deadLetter(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void snapshotInsertAndUpdateBecomeTargetDocumentsWithTheirPosition() {
        jobs.pipeInput(key("1"), event("r", "{_id: 1, status: 'completed', job_type: 'etl'}", 1000, 1));
        jobs.pipeInput(key("2"), event("c", "{_id: 2, status: 'completed', job_type: 'ml'}", 2000, 1));
        jobs.pipeInput(key("1"), event("u", "{_id: 1, status: 'completed', job_type: 'bi'}", 3000, 7));

        List<TestRecord<byte[], byte[]>> out = tasks.readRecordsToList();
        assertThat(out).hasSize(3);
        assertThat(OutputRecords.id(out.get(0).key())).isEqualTo(new BsonInt32(1));
        assertThat(OutputRecords.document(out.get(0).value()))
                .isEqualTo(BsonDocument.parse("{_id: 1, status: 'completed', type: 'etl'}"));
        assertThat(OutputRecords.document(out.get(2).value()))
                .isEqualTo(BsonDocument.parse("{_id: 1, status: 'completed', type: 'bi'}"));
        assertThat(OutputRecords.position(out.get(2).headers())).isEqualTo(SourcePosition.of(3, 7));
        assertThat(OutputRecords.position(out.get(1).headers())).isEqualTo(SourcePosition.of(2, 1));
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void deleteTombstonesTheTargetIdAndForgetsIt() {
        jobs.pipeInput(key("{\"$oid\": \"65f0a0000000000000000001\"}"),
                event("c", "{_id: {$oid: '65f0a0000000000000000001'}, status: 'completed'}", 1000, 1));
        jobs.pipeInput(key("{\"$oid\": \"65f0a0000000000000000001\"}"), event("d", null, 2000, 1));
        jobs.pipeInput(key("{\"$oid\": \"65f0a0000000000000000001\"}"), (byte[]) null);

        List<TestRecord<byte[], byte[]>> out = tasks.readRecordsToList();
        assertThat(out).hasSize(2);
        assertThat(out.get(1).value()).isNull();
        assertThat(out.get(1).key()).isEqualTo(out.get(0).key());
        assertThat(OutputRecords.position(out.get(1).headers())).isEqualTo(SourcePosition.of(2, 1));
        assertThat(driver.<byte[], byte[]>getKeyValueStore(TransformTopology.idStoreName("jobs")).approximateNumEntries())
                .isZero();
    }

    @Test
    void aDocumentThatStopsMatchingIsTombstonedAndComesBackWhenItMatchesAgain() {
        jobs.pipeInput(key("1"), event("c", "{_id: 1, status: 'completed'}", 1000, 1));
        jobs.pipeInput(key("1"), event("u", "{_id: 1, status: 'reopened'}", 2000, 1));
        jobs.pipeInput(key("1"), event("u", "{_id: 1, status: 'reopened', n: 2}", 3000, 1));
        jobs.pipeInput(key("1"), event("u", "{_id: 1, status: 'completed'}", 4000, 1));

        List<TestRecord<byte[], byte[]>> out = tasks.readRecordsToList();
        assertThat(out).extracting(r -> r.value() == null).containsExactly(false, true, false);
        assertThat(out).extracting(r -> OutputRecords.id(r.key())).containsOnly(new BsonInt32(1));
    }

    @Test
    void anUpdateOfADocumentDeletedBeforeItsLookupIsSkippedAndTheDeleteThatFollowsApplies() {
        jobs.pipeInput(key("5"), event("c", "{_id: 5, status: 'completed'}", 1000, 1));
        jobs.pipeInput(key("5"), event("u", null, 2000, 1));
        jobs.pipeInput(key("5"), event("d", null, 3000, 1));

        List<TestRecord<byte[], byte[]>> out = tasks.readRecordsToList();
        assertThat(out).extracting(r -> r.value() == null).containsExactly(false, true);
        assertThat(OutputRecords.position(out.get(1).headers())).isEqualTo(SourcePosition.of(3, 1));
        assertThat(deadLetters.isEmpty()).as("a vanished update is not a data error").isTrue();
    }

    @Test
    void documentsNeverMatchedAndDeletedEmitNothing() {
        jobs.pipeInput(key("9"), event("c", "{_id: 9, status: 'running'}", 1000, 1));
        jobs.pipeInput(key("9"), event("d", null, 2000, 1));
        assertThat(tasks.isEmpty()).isTrue();
    }

    @Test
    void whenTheTargetIdChangesTheOldOneIsTombstoned() {
        codes.pipeInput(key("1"), event("c", "{_id: 1, code: 'A'}", 1000, 1));
        codes.pipeInput(key("1"), event("u", "{_id: 1, code: 'B'}", 2000, 1));
        codes.pipeInput(key("1"), event("d", null, 3000, 1));

        List<TestRecord<byte[], byte[]>> out = codesOut.readRecordsToList();
        assertThat(out).extracting(r -> OutputRecords.id(r.key()))
                .containsExactly(new BsonString("A"), new BsonString("A"), new BsonString("B"), new BsonString("B"));
        assertThat(out).extracting(r -> r.value() == null).containsExactly(false, true, false, true);
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicAndTheNextOneStillFlows() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("origin", "capture".getBytes(StandardCharsets.UTF_8));
        byte[] poison = "{not json".getBytes(StandardCharsets.UTF_8);
        jobs.pipeInput(new TestRecord<>(key("1"), poison, headers));
        jobs.pipeInput(key("2"), event("c", "{_id: 2, status: 'completed'}", 1000, 1));

        TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
        assertThat(dead.key()).isEqualTo(key("1"));
        assertThat(dead.value()).isEqualTo(poison);
        assertThat(DeadLetters.get(dead.headers(), "origin")).isEqualTo("capture");
        assertThat(DeadLetters.get(dead.headers(), DeadLetters.COLLECTION)).isEqualTo("jobs");
        assertThat(DeadLetters.get(dead.headers(), DeadLetters.STEP)).isEqualTo("value");
        assertThat(DeadLetters.get(dead.headers(), DeadLetters.REASON)).contains("not a BSON document");
        assertThat(DeadLetters.get(dead.headers(), DeadLetters.SPEC_CHECKSUM)).isEqualTo(spec.checksum());
        assertThat(DeadLetters.get(dead.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo(topics.raw("legacy", "jobs"));
        assertThat(tasks.readRecordsToList()).extracting(r -> OutputRecords.id(r.key())).containsExactly(new BsonInt32(2));
    }

    @Test
    void aDocumentAStepCannotTransformIsDeadLetteredNamingTheStep() {
        codes.pipeInput(key("1"), event("c", "{_id: 1, code: [1, 2]}", 1000, 1));
        TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
        assertThat(DeadLetters.get(dead.headers(), DeadLetters.COLLECTION)).isEqualTo("codes");
        assertThat(DeadLetters.get(dead.headers(), DeadLetters.STEP)).isEqualTo("target _id");
        assertThat(codesOut.isEmpty()).isTrue();
    }

    @Test
    void anUnknownOperationIsDeadLettered() {
        BsonDocument value = OutputRecords.document(event("c", "{_id: 1}", 1000, 1));
        value.put("op", new BsonString("t"));
        jobs.pipeInput(key("1"), OutputRecords.value(value));
        TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
        assertThat(DeadLetters.get(dead.headers(), DeadLetters.STEP)).isEqualTo("op");
        assertThat(DeadLetters.get(dead.headers(), DeadLetters.REASON)).contains("expected r, c, u or d");
    }

    @Test
    void typesOfTheSourceDocumentAreKept() {
        jobs.pipeInput(key("1"), event("c", "{_id: 1, status: 'completed', n: {$numberLong: '5'},"
                + " at: {$date: {$numberLong: '1700000000000'}}, d: {$numberDecimal: '1.10'}}", 1000, 1));
        BsonDocument out = OutputRecords.document(tasks.readRecord().value());
        assertThat(out.get("n").isInt64()).isTrue();
        assertThat(out.get("at").isDateTime()).isTrue();
        assertThat(out.get("d").asDecimal128().getValue().toString()).isEqualTo("1.10");
    }

    @Test
    void theSameInputGivesByteIdenticalOutput() {
        List<String> first = runScenario(driver, jobs, codes, tasks, codesOut, deadLetters);
        try (TopologyTestDriver second = newDriver(stateDir.resolve("b"))) {
            List<String> again = runScenario(second, input(second, "jobs"), input(second, "codes"), output(second, "tasks"),
                    output(second, "codes"), second.createOutputTopic(topics.deadLetter(),
                            new ByteArrayDeserializer(), new ByteArrayDeserializer()));
            assertThat(again).isEqualTo(first);
        }
        assertThat(first).hasSize(6);
    }

    private static List<String> runScenario(TopologyTestDriver d, TestInputTopic<byte[], byte[]> jobsIn,
                                            TestInputTopic<byte[], byte[]> codesIn, TestOutputTopic<byte[], byte[]> tasksOut,
                                            TestOutputTopic<byte[], byte[]> codesOutput, TestOutputTopic<byte[], byte[]> dlq) {
        jobsIn.pipeInput(key("1"), event("c", "{_id: 1, status: 'completed', x: {b: 2, a: 1.5}}", 1000, 1));
        jobsIn.pipeInput(key("1"), event("u", "{_id: 1, status: 'open'}", 2000, 1));
        jobsIn.pipeInput(key("2"), "garbage".getBytes(StandardCharsets.UTF_8));
        codesIn.pipeInput(key("3"), event("c", "{_id: 3, code: 'Z', t: {$date: {$numberLong: '5'}}}", 3000, 2));
        codesIn.pipeInput(key("3"), event("u", "{_id: 3, code: 'Y'}", 4000, 2));
        List<String> all = new ArrayList<>();
        for (TestOutputTopic<byte[], byte[]> topic : List.of(tasksOut, codesOutput, dlq)) {
            topic.readRecordsToList().forEach(r -> all.add(describe(r)));
        }
        return all;
    }

    private static String describe(TestRecord<byte[], byte[]> r) {
        StringBuilder sb = new StringBuilder(Arrays.toString(r.key())).append('|').append(Arrays.toString(r.value()));
        for (Header h : r.headers()) {
            sb.append('|').append(h.key()).append('=').append(Arrays.toString(h.value()));
        }
        return sb.toString();
    }

    private static TopologyTestDriver newDriver(Path dir) {
        Properties props = TransformConfig.of(spec).streamsProperties(spec);
        props.put("state.dir", dir.toString());
        return new TopologyTestDriver(TransformTopology.build(spec), props);
    }

    private static TestInputTopic<byte[], byte[]> input(TopologyTestDriver d, String collection) {
        return d.createInputTopic(topics.raw("legacy", collection), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static TestOutputTopic<byte[], byte[]> output(TopologyTestDriver d, String collection) {
        return d.createOutputTopic(topics.output(collection), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Capture's raw key of the id written as extended JSON ({@code "5"}, {@code "{$numberLong: '5'}"}). */
    static byte[] key(String idJson) {
        return RawRecords.key(BsonDocument.parse("{_id: " + idJson + "}").get("_id"));
    }

    /**
     * A raw value as capture writes it ({@link RawRecords}), at position ({@code tsMs / 1000}, {@code ord}). The id
     * goes in the key, not the value, so the placeholder id of a delete here is never encoded.
     */
    static byte[] event(String op, String afterJson, long tsMs, int ord) {
        BsonDocument after = afterJson == null ? null : BsonDocument.parse(afterJson);
        BsonValue id = after == null ? BsonNull.VALUE : after.get("_id");
        return RawRecords.value(new RawRecord.Change("x", id, RawRecord.Operation.ofCode(op), after,
                SourcePosition.of((int) (tsMs / 1000), Math.max(ord, 0)), "r".equals(op)));
    }
}
