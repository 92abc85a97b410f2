package io.changeover.transform.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
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
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.changeover.transform.TransformConfig;
import io.changeover.transform.TransformTopology;
import io.changeover.transform.blob.BlobKeys;
import io.changeover.transform.step.CanonicalForm;
import io.changeover.transform.blob.BlobReference;
import io.changeover.transform.blob.FileSystemObjectStore;
import io.changeover.transform.engine.CollectionTransform;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.format.DeadLetters;
import io.changeover.transform.format.OutputRecords;
import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.format.RawRecord;
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
 * A scenario that needs more checks (an object store's content) adds them in {@link #checkExtras}.
 */
class ScenarioTest {
    private static final Path ROOT = Paths.get("src/test/resources/scenarios");
    private static final JsonWriterSettings CANONICAL = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();

    @TempDir
    Path work;

    static Stream<String> scenarios() throws IOException {
        try (Stream<Path> dirs = Files.list(ROOT)) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void scenario(String name) throws Exception {
        Path dir = ROOT.resolve(name);
        Run first = run(dir, work.resolve("first"));
        Run second = run(dir, work.resolve("second"));
        assertThat(first.records()).as("records written").isNotEmpty();
        assertThat(second.records()).as("the same input replayed gives byte-identical records").isEqualTo(first.records());

        BsonDocument expected = expand(BsonDocument.parse(Files.readString(dir.resolve("expected.json"))));
        BsonDocument targets = expected.getDocument("targets", new BsonDocument());
        for (Map.Entry<String, Map<String, BsonDocument>> target : first.targets().entrySet()) {
            BsonArray documents = targets.getArray(target.getKey(), new BsonArray());
            Map<String, BsonDocument> wanted = new TreeMap<>();
            documents.forEach(d -> wanted.put(keyText(d.asDocument().get("_id")), d.asDocument()));
            assertThat(json(target.getValue())).as("target collection %s", target.getKey()).isEqualTo(json(wanted));
        }
        assertThat(first.targets().keySet()).as("target collections").containsAll(targets.keySet());
        List<String> wantedDeadLetters = new ArrayList<>();
        expected.getArray("deadLetters", new BsonArray()).forEach(d -> wantedDeadLetters.add(deadLetterLine(d.asDocument())));
        assertThat(first.deadLetters()).as("dead letters").hasSameSizeAs(wantedDeadLetters);
        for (int i = 0; i < wantedDeadLetters.size(); i++) {
            String[] parts = wantedDeadLetters.get(i).split("\\|", 4);
            assertThat(first.deadLetters().get(i)).as("dead letter %d", i)
                    .startsWith(parts[0] + "|" + parts[1] + "|" + parts[2] + "|").contains(parts[3]);
        }
        checkExtras(dir, first);
    }

    /**
     * Checks beyond target documents and dead letters. When the spec stores objects under {@code ${work.dir}/objects}:
     * every blob reference in the targets points to an object of that content, and {@code expected.json}'s
     * {@code objects} (if given) is the number of objects stored.
     */
    void checkExtras(Path dir, Run run) throws IOException {
        Path objects = run.workDir().resolve("objects");
        FileSystemObjectStore store = new FileSystemObjectStore(objects);
        run.targets().values().forEach(documents -> documents.values().forEach(d -> checkReferences(store, d)));
        BsonDocument expected = BsonDocument.parse(Files.readString(dir.resolve("expected.json")));
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

    private Run run(Path dir, Path workDir) throws IOException {
        Files.createDirectories(workDir);
        String yaml = Files.readString(dir.resolve("spec.yaml")).replace("${work.dir}", workDir.toString());
        MigrationSpec spec = SpecLoader.parse(yaml, dir.getFileName() + "/spec.yaml");
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
            int line = 0;
            for (String text : Files.readAllLines(dir.resolve("input.jsonl"))) {
                line++;
                if (text.isBlank() || text.startsWith("//")) {
                    continue;
                }
                BsonDocument event = BsonDocument.parse(text);
                TestInputTopic<byte[], byte[]> input = inputs.get(event.getString("c").getValue());
                if (event.containsKey("snapshotEnd")) {
                    input.pipeInput(null, RawRecords.value(new RawRecord.SnapshotEnd(
                            SourcePosition.of(event.getNumber("snapshotEnd").intValue(), 0), 1)));
                } else if (event.containsKey("tick")) {
                    input.pipeInput(null, RawRecords.value(new RawRecord.Tick(SourcePosition.of(event.getNumber("tick").intValue(), 0), 1)));
                } else {
                    input.pipeInput(rawKey(event), rawValue(event, line));
                }
            }
            for (Map.Entry<String, TestOutputTopic<byte[], byte[]>> output : outputs.entrySet()) {
                for (TestRecord<byte[], byte[]> r : output.getValue().readRecordsToList()) {
                    records.add(output.getKey() + "|" + describe(r));
                    String key = keyText(OutputRecords.id(r.key()));
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
                        + idText(RawRecords.id(r.key())) + "|"
                        + DeadLetters.get(r.headers(), DeadLetters.REASON));
            }
        }
        return new Run(records, targets, deadLetters, workDir);
    }

    private static String deadLetterLine(BsonDocument d) {
        return d.getString("collection").getValue() + "|" + d.getString("step").getValue() + "|"
                + idText(d.get("id")) + "|" + d.getString("reason", new BsonString("")).getValue();
    }

    private static byte[] rawKey(BsonDocument event) {
        return RawRecords.key(sourceId(event));
    }

    private static BsonValue sourceId(BsonDocument event) {
        return event.containsKey("doc") ? event.getDocument("doc").get("_id") : event.get("id");
    }

    /** How a dead letter's key reads in expected.dlq: the raw key's id as canonical extended JSON. */
    private static String idText(BsonValue id) {
        String json = new BsonDocument("v", id).toJson(CANONICAL);
        return json.substring(json.indexOf(':') + 1, json.length() - 1).strip();
    }

    /**
     * A raw change as capture writes it ({@link RawRecords}); position (t, line of the input file), or (t, 0) for a
     * snapshot read: every read of a snapshot carries the snapshot's start.
     */
    private static byte[] rawValue(BsonDocument event, int line) {
        if (event.containsKey("raw")) {
            return event.getString("raw").getValue().getBytes(StandardCharsets.UTF_8);
        }
        BsonDocument after = event.containsKey("doc") ? event.getDocument("doc") : null;
        RawRecord.Operation op = RawRecord.Operation.ofCode(event.getString("op").getValue());
        return RawRecords.value(new RawRecord.Change(event.getString("c").getValue(), sourceId(event), op, after,
                SourcePosition.of(event.getNumber("t").intValue(), op == RawRecord.Operation.READ ? 0 : line),
                op == RawRecord.Operation.READ));
    }

    private static BsonValue expandValue(BsonValue value) {
        if (value.isDocument()) {
            BsonDocument d = value.asDocument();
            if (d.size() == 1 && d.containsKey("$sha256")) {
                return new BsonString(sha256(d.getString("$sha256").getValue().getBytes(StandardCharsets.UTF_8)));
            }
            if (d.size() == 1 && d.containsKey("$rehash")) {
                byte[] canonical = CanonicalForm.DEFAULT.bytes(BsonDocument.parse(d.getString("$rehash").getValue()));
                return new BsonString(sha256(canonical));
            }
            if (d.size() == 1 && d.containsKey("$blobKey")) {
                return new BsonString(BlobKeys.key(sha256(d.getString("$blobKey").getValue().getBytes(StandardCharsets.UTF_8))));
            }
            return expand(d);
        }
        if (value.isArray()) {
            BsonArray copy = new BsonArray();
            value.asArray().forEach(v -> copy.add(expandValue(v)));
            return copy;
        }
        return value;
    }

    private static BsonDocument expand(BsonDocument document) {
        BsonDocument copy = new BsonDocument();
        document.forEach((k, v) -> copy.put(k, expandValue(v)));
        return copy;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String keyText(BsonValue id) {
        return new String(OutputRecords.key(id), StandardCharsets.UTF_8);
    }

    private static List<String> json(Map<String, BsonDocument> documents) {
        List<String> list = new ArrayList<>();
        documents.values().forEach(d -> list.add(d.toJson(CANONICAL)));
        return list;
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
