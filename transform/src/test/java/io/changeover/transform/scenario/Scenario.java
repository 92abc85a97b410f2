package io.changeover.transform.scenario;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

import io.changeover.transform.blob.BlobKeys;
import io.changeover.transform.canonical.CanonicalForm;
import io.changeover.transform.format.OutputRecords;
import io.changeover.transform.format.RawRecord;
import io.changeover.transform.format.RawRecords;
import io.changeover.transform.format.SourcePosition;

/**
 * One scenario directory under {@code src/test/resources/scenarios} (format in {@link ScenarioTest}): its spec text,
 * its input as raw records capture could have written, and what the target must end with. Shared by the
 * single-partition run ({@link ScenarioTest}) and the broker run on three partitions ({@link ScenarioIT}).
 */
record Scenario(String name, Path dir, List<Input> inputs, BsonDocument expected) {
    static final Path ROOT = Paths.get("src/test/resources/scenarios");
    private static final JsonWriterSettings CANONICAL = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();

    /** One line of {@code input.jsonl}. */
    sealed interface Input {
        String collection();
    }

    /** A change (or a record capture could not have written) keyed by its source id. */
    record Change(String collection, BsonValue id, byte[] key, byte[] value) implements Input {
    }

    /** A tick at a source second, to every partition of the collection's raw topic. */
    record Tick(String collection, int seconds) implements Input {
        RawRecord record(int partitions) {
            return new RawRecord.Tick(SourcePosition.of(seconds, 0), partitions);
        }
    }

    /** The end of a snapshot that started at a source second, to every partition. */
    record SnapshotEnd(String collection, int seconds) implements Input {
        RawRecord record(int partitions) {
            return new RawRecord.SnapshotEnd(SourcePosition.of(seconds, 0), partitions);
        }
    }

    static Stream<String> names() throws IOException {
        try (Stream<Path> dirs = Files.list(ROOT)) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    static Scenario load(String name) throws IOException {
        Path dir = ROOT.resolve(name);
        List<Input> inputs = new ArrayList<>();
        int line = 0;
        for (String text : Files.readAllLines(dir.resolve("input.jsonl"))) {
            line++;
            if (text.isBlank() || text.startsWith("//")) {
                continue;
            }
            inputs.add(input(BsonDocument.parse(text), line));
        }
        BsonDocument expected = expand(BsonDocument.parse(Files.readString(dir.resolve("expected.json"))));
        return new Scenario(name, dir, inputs, expected);
    }

    /** The spec's text, with {@code ${work.dir}} replaced. */
    String specText(Path workDir) throws IOException {
        return Files.readString(dir.resolve("spec.yaml")).replace("${work.dir}", workDir.toString());
    }

    /** Per target collection, its documents by key text. */
    Map<String, Map<String, BsonDocument>> expectedTargets() {
        Map<String, Map<String, BsonDocument>> targets = new TreeMap<>();
        expected.getDocument("targets", new BsonDocument()).forEach((collection, documents) -> {
            Map<String, BsonDocument> byKey = new TreeMap<>();
            documents.asArray().forEach(d -> byKey.put(keyText(d.asDocument().get("_id")), d.asDocument()));
            targets.put(collection, byKey);
        });
        return targets;
    }

    /** The expected dead letters as {@code collection|step|id|reason part}, in the file's order. */
    List<String> expectedDeadLetters() {
        List<String> lines = new ArrayList<>();
        expected.getArray("deadLetters", new BsonArray()).forEach(d -> lines.add(deadLetterLine(d.asDocument())));
        return lines;
    }

    private static Input input(BsonDocument event, int line) {
        String collection = event.getString("c").getValue();
        if (event.containsKey("snapshotEnd")) {
            return new SnapshotEnd(collection, event.getNumber("snapshotEnd").intValue());
        }
        if (event.containsKey("tick")) {
            return new Tick(collection, event.getNumber("tick").intValue());
        }
        BsonValue id = event.containsKey("doc") ? event.getDocument("doc").get("_id") : event.get("id");
        return new Change(collection, id, RawRecords.key(id), rawValue(event, id, line));
    }

    /**
     * A raw change as capture writes it ({@link RawRecords}); position (t, line of the input file), or (t, 0) for a
     * snapshot read: every read of a snapshot carries the snapshot's start.
     */
    private static byte[] rawValue(BsonDocument event, BsonValue id, int line) {
        if (event.containsKey("raw")) {
            return event.getString("raw").getValue().getBytes(StandardCharsets.UTF_8);
        }
        BsonDocument after = event.containsKey("doc") ? event.getDocument("doc") : null;
        RawRecord.Operation op = RawRecord.Operation.ofCode(event.getString("op").getValue());
        return RawRecords.value(new RawRecord.Change(event.getString("c").getValue(), id, op, after,
                SourcePosition.of(event.getNumber("t").intValue(), op == RawRecord.Operation.READ ? 0 : line),
                op == RawRecord.Operation.READ));
    }

    static String deadLetterLine(BsonDocument d) {
        return d.getString("collection").getValue() + "|" + d.getString("step").getValue() + "|"
                + idText(d.get("id")) + "|" + d.getString("reason", new BsonString("")).getValue();
    }

    /** How a dead letter's key reads: the raw key's id as canonical extended JSON. */
    static String idText(BsonValue id) {
        String json = new BsonDocument("v", id).toJson(CANONICAL);
        return json.substring(json.indexOf(':') + 1, json.length() - 1).strip();
    }

    static String keyText(BsonValue id) {
        return new String(OutputRecords.key(id), StandardCharsets.UTF_8);
    }

    static List<String> json(Map<String, BsonDocument> documents) {
        List<String> list = new ArrayList<>();
        documents.values().forEach(d -> list.add(d.toJson(CANONICAL)));
        return list;
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
}
