package io.changeover.transform.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.changeover.transform.TransformConfig;
import io.changeover.transform.TransformTopology;
import io.changeover.transform.blob.BlobReference;
import io.changeover.transform.blob.FileSystemObjectStore;
import io.changeover.transform.engine.CollectionTransform;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.format.DeadLetters;
import io.changeover.transform.format.OutputRecords;
import io.changeover.transform.format.RawRecords;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;
import io.changeover.transform.topics.Topics;

/**
 * Runs every scenario directory under {@code src/test/resources/scenarios} through the topology
 * ({@code TopologyTestDriver}), twice from empty state, and checks the target collections and dead letters it ends
 * with, and that both runs wrote byte-identical records. Format of a scenario directory:
 * <ul>
 *   <li>{@code spec.yaml}: a migration spec; {@code ${work.dir}} is replaced by a fresh directory per run (for
 *       settings such as an object store's path);</li>
 *   <li>{@code input.jsonl}: change events in arrival order, one extended-JSON document a line:
 *       {@code {c: <collection>, op: r|c|u, doc: {...}, t: <source seconds>}}, {@code {c, op: d, id: <_id>, t}}, or a
 *       record capture could not have written, {@code {c, id, raw: "<value text>"}}, or a tick capture writes when the
 *       source's position moves on, {@code {c, tick: <source seconds>}}, or the end of a snapshot that started at a
 *       second, {@code {c, snapshotEnd: <source seconds>}}; a snapshot read ({@code op: r}) is at the snapshot's
 *       start, (t, 0), every other change at (t, its line number); lines starting with // are comments;</li>
 *   <li>{@code expected.json}: {@code {targets: {<target collection>: [<documents>]}, deadLetters: [{collection,
 *       step, id, reason}]}} where {@code reason} is a part of the reason; every target collection of the spec not
 *       listed must end empty. A value {@code {$sha256: "<text>"}} stands for the sha-256 hex of the text's UTF-8, {@code {$rehash: "<payload JSON>"}} stands for the {@code rehash-id} sha-256 id of
 *       that payload document (canonical form v1, itself checked against {@code docs/canonical-form/vectors.json}),
 *       {@code {$blobKey: "<text>"}} for the object store key of the text's UTF-8 bytes; {@code objects: <n>}: the
 *       number of objects the run stored under {@code ${work.dir}/objects}.</li>
 * </ul>
 * A scenario that needs more checks (an object store's content) adds them in {@link #checkExtras}. {@link ScenarioIT}
 * runs every scenario again on a broker with three partitions.
 */
class ScenarioTest {

    @TempDir
    Path work;

    static Stream<String> scenarios() throws IOException {
        return Scenario.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void scenario(String name) throws Exception {
        Scenario scenario = Scenario.load(name);
        Run first = run(scenario, work.resolve("first"));
        Run second = run(scenario, work.resolve("second"));
        assertThat(first.records()).as("records written").isNotEmpty();
        assertThat(second.records()).as("the same input replayed gives byte-identical records").isEqualTo(first.records());

        Map<String, Map<String, BsonDocument>> wanted = scenario.expectedTargets();
        for (Map.Entry<String, Map<String, BsonDocument>> target : first.targets().entrySet()) {
            assertThat(Scenario.json(target.getValue())).as("target collection %s", target.getKey())
                    .isEqualTo(Scenario.json(wanted.getOrDefault(target.getKey(), Map.of())));
        }
        assertThat(first.targets().keySet()).as("target collections").containsAll(wanted.keySet());
        List<String> wantedDeadLetters = scenario.expectedDeadLetters();
        assertThat(first.deadLetters()).as("dead letters").hasSameSizeAs(wantedDeadLetters);
        for (int i = 0; i < wantedDeadLetters.size(); i++) {
            String[] parts = wantedDeadLetters.get(i).split("\\|", 4);
            assertThat(first.deadLetters().get(i)).as("dead letter %d", i)
                    .startsWith(parts[0] + "|" + parts[1] + "|" + parts[2] + "|").contains(parts[3]);
        }
        checkExtras(scenario, first);
    }

    /**
     * Checks beyond target documents and dead letters. When the spec stores objects under {@code ${work.dir}/objects}:
     * every blob reference in the targets points to an object of that content, and {@code expected.json}'s
     * {@code objects} (if given) is the number of objects stored.
     */
    void checkExtras(Scenario scenario, Run run) throws IOException {
        Path objects = run.workDir().resolve("objects");
        FileSystemObjectStore store = new FileSystemObjectStore(objects);
        run.targets().values().forEach(documents -> documents.values().forEach(d -> checkReferences(store, d)));
        BsonDocument expected = scenario.expected();
        if (expected.containsKey("objects")) {
            try (Stream<Path> files = Files.exists(objects) ? Files.walk(objects) : Stream.empty()) {
                assertThat(files.filter(Files::isRegularFile).count()).as("objects stored")
                        .isEqualTo(expected.getNumber("objects").longValue());
            }
        }
    }

    private static void checkReferences(FileSystemObjectStore store, BsonValue value) {
        if (value.isArray()) {
            value.asArray().forEach(v -> checkReferences(store, v));
        } else if (value.isDocument() && value.asDocument().containsKey(BlobReference.STORAGE_KEY)) {
            BlobReference ref = BlobReference.fromDocument(value.asDocument());
            assertThat(store.sha256Of(ref.bucket(), ref.key())).as("object of " + ref).contains(ref.sha256());
        } else if (value.isDocument()) {
            value.asDocument().values().forEach(v -> checkReferences(store, v));
        }
    }

    /** What one run wrote: every output and dead-letter record (for the replay check), the final targets, the DLQ. */
    record Run(List<String> records, Map<String, Map<String, BsonDocument>> targets, List<String> deadLetters,
               Path workDir) {
    }

    private Run run(Scenario scenario, Path workDir) throws IOException {
        Files.createDirectories(workDir);
        MigrationSpec spec = SpecLoader.parse(scenario.specText(workDir), scenario.name() + "/spec.yaml");
        Topics topics = Topics.of(spec.name());
        Properties props = TransformConfig.of(spec).streamsProperties(spec);
        props.put("state.dir", workDir.resolve("state").toString());
        List<String> records = new ArrayList<>();
        Map<String, Map<String, BsonDocument>> targets = new TreeMap<>();
        List<String> deadLetters = new ArrayList<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(TransformTopology.build(spec), props)) {
            Map<String, TestInputTopic<byte[], byte[]>> inputs = new LinkedHashMap<>();
            Map<String, TestOutputTopic<byte[], byte[]>> outputs = new TreeMap<>();
            for (CollectionTransform t : CompiledSpec.compile(spec).collections()) {
                inputs.put(t.source(), driver.createInputTopic(topics.raw(spec.source().database(), t.source()),
                        new ByteArraySerializer(), new ByteArraySerializer()));
                for (String target : t.targets()) {
                    outputs.put(target, driver.createOutputTopic(topics.output(target),
                            new ByteArrayDeserializer(), new ByteArrayDeserializer()));
                    targets.put(target, new TreeMap<>());
                }
            }
            for (Scenario.Input input : scenario.inputs()) {
                TestInputTopic<byte[], byte[]> topic = inputs.get(input.collection());
                if (input instanceof Scenario.Change change) {
                    topic.pipeInput(change.key(), change.value());
                } else if (input instanceof Scenario.Tick tick) {
                    topic.pipeInput(null, RawRecords.value(tick.record(1)));
                } else if (input instanceof Scenario.SnapshotEnd end) {
                    topic.pipeInput(null, RawRecords.value(end.record(1)));
                }
            }
            for (Map.Entry<String, TestOutputTopic<byte[], byte[]>> output : outputs.entrySet()) {
                for (TestRecord<byte[], byte[]> r : output.getValue().readRecordsToList()) {
                    records.add(output.getKey() + "|" + describe(r));
                    String key = Scenario.keyText(OutputRecords.id(r.key()));
                    if (r.value() == null) {
                        targets.get(output.getKey()).remove(key);
                    } else {
                        targets.get(output.getKey()).put(key, OutputRecords.document(r.value()));
                    }
                }
            }
            TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic(topics.deadLetter(),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            for (TestRecord<byte[], byte[]> r : dlq.readRecordsToList()) {
                records.add("dlq|" + describe(r));
                assertThat(DeadLetters.get(r.headers(), DeadLetters.SPEC_CHECKSUM)).isEqualTo(spec.checksum());
                assertThat(r.value()).as("a dead letter carries the original record").isNotNull();
                deadLetters.add(DeadLetters.get(r.headers(), DeadLetters.COLLECTION) + "|"
                        + DeadLetters.get(r.headers(), DeadLetters.STEP) + "|"
                        + Scenario.idText(RawRecords.id(r.key())) + "|"
                        + DeadLetters.get(r.headers(), DeadLetters.REASON));
            }
        }
        return new Run(records, targets, deadLetters, workDir);
    }

    private static String describe(TestRecord<byte[], byte[]> r) {
        StringBuilder sb = new StringBuilder(HexFormat.of().formatHex(r.key())).append('|')
                .append(r.value() == null ? "null" : HexFormat.of().formatHex(r.value()));
        for (Header h : r.headers()) {
            sb.append('|').append(h.key()).append('=').append(h.value() == null ? "null" : HexFormat.of().formatHex(h.value()));
        }
        return sb.toString();
    }
}
