package io.changeover.transform.property;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
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
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

import io.changeover.transform.TransformConfig;
import io.changeover.transform.TransformTopology;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.format.IdentityKeys;
import io.changeover.transform.format.OutputRecords;
import io.changeover.transform.format.RawRecord;
import io.changeover.transform.format.RawRecords;
import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;
import io.changeover.transform.step.Resolution;
import io.changeover.transform.topics.Topics;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random histories of parents and children through the topology, against an oracle computed from the final source
 * alone: inserts, updates of payload and of the field the parent's target id is hashed from (so ids move and collide),
 * deletes and re-inserts, ids and references written as int32, int64 or double of the same few values (MongoDB finds
 * them equal: one document). The final target must be the pure transform of the final source: each target id held by
 * the first claimant in source-key order, every reference resolved by value to its parent's current target id, or
 * null when no such parent exists.
 */
class IdentityPropertyTest {
    private static final String SPEC = """
            migration: prop
            source: {uri: "mongodb://localhost:27017", database: legacy}
            target: {uri: "mongodb://localhost:27018", database: refactored}
            kafka: {bootstrap.servers: "localhost:9092"}
            collections:
              parents:
                steps:
                  - rehash-id: {fields: [code], keep-old-id: old}
              kids:
                steps:
                  - remap: {field: parent, from: parents, missing: "null", wait: 5}
            """;
    private static final MigrationSpec MIGRATION = SpecLoader.parse(SPEC, "property.yaml");
    private static final CompiledSpec COMPILED = CompiledSpec.compile(MIGRATION);

    /** One source change: a collection, an id value and its BSON type, and a new payload (null: a delete). */
    record Op(boolean parent, int id, int idType, String code, int ref, int refType, boolean delete) {
        BsonValue idValue() {
            return number(id, idType);
        }

        @Override
        public String toString() {
            return (parent ? "parents " : "kids ") + idValue() + (delete ? " delete" : parent ? " code=" + code
                    : " parent=" + number(ref, refType));
        }
    }

    @Provide
    Arbitrary<List<Op>> histories() {
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.of(true, false), Arbitraries.integers().between(1, 5), Arbitraries.integers().between(0, 2),
                Arbitraries.of("a", "b", "c", "d"), Arbitraries.integers().between(1, 6),
                Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 5))
                .as((parent, id, idType, code, ref, refType, kind) -> new Op(parent, id, idType, code, ref, refType, kind == 0));
        return op.list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 60)
    void theTargetIsTheTransformOfTheFinalSource(@ForAll("histories") List<Op> history) throws Exception {
        Path state = Files.createTempDirectory("identity-property");
        Topics topics = Topics.of(MIGRATION.name());
        Properties props = TransformConfig.of(MIGRATION).streamsProperties(MIGRATION);
        props.put("state.dir", state.toString());
        Map<String, Map<String, BsonDocument>> source = Map.of("parents", new TreeMap<>(), "kids", new TreeMap<>());
        Map<String, Map<String, BsonDocument>> target = Map.of("parents", new TreeMap<>(), "kids", new TreeMap<>());
        try (TopologyTestDriver driver = new TopologyTestDriver(TransformTopology.build(MIGRATION), props)) {
            Map<String, TestInputTopic<byte[], byte[]>> inputs = new HashMap<>();
            for (String c : List.of("parents", "kids")) {
                inputs.put(c, driver.createInputTopic(topics.raw("legacy", c), new ByteArraySerializer(), new ByteArraySerializer()));
            }
            int second = 100;
            for (Op op : history) {
                second++;
                String collection = op.parent() ? "parents" : "kids";
                BsonValue id = op.idValue();
                String identity = identity(id);
                BsonDocument existing = source.get(collection).get(identity);
                RawRecord.Change change;
                if (op.delete()) {
                    if (existing == null) {
                        continue;
                    }
                    source.get(collection).remove(identity);
                    change = new RawRecord.Change(collection, existing.get("_id"), RawRecord.Operation.DELETE, null,
                            SourcePosition.of(second, 1), false);
                } else {
                    // an update keeps the stored id's type; an insert writes the type it was given
                    BsonValue stored = existing == null ? id : existing.get("_id");
                    BsonDocument after = op.parent()
                            ? new BsonDocument("_id", stored).append("code", new BsonString(op.code()))
                            : new BsonDocument("_id", stored).append("parent", number(op.ref(), op.refType()));
                    source.get(collection).put(identity, after);
                    change = new RawRecord.Change(collection, stored, existing == null ? RawRecord.Operation.INSERT
                            : RawRecord.Operation.UPDATE, after, SourcePosition.of(second, 1), false);
                }
                inputs.get(collection).pipeInput(RawRecords.key(change), RawRecords.value(change));
            }
            for (String c : List.of("parents", "kids")) {   // past every wait: the source has got this far
                inputs.get(c).pipeInput(null, RawRecords.value(new RawRecord.Tick(SourcePosition.of(second + 100, 0), 1)));
            }
            for (String c : List.of("parents", "kids")) {
                TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic(topics.output(c), new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
                for (TestRecord<byte[], byte[]> r : out.readRecordsToList()) {
                    String key = new String(r.key(), StandardCharsets.UTF_8);
                    if (r.value() == null) {
                        target.get(c).remove(key);
                    } else {
                        target.get(c).put(key, OutputRecords.document(r.value()));
                    }
                }
            }
        }
        assertThat(target).as("target after %s", history).isEqualTo(oracle(source));
    }

    /** The expected target from the final source alone, written independently of the topology. */
    private static Map<String, Map<String, BsonDocument>> oracle(Map<String, Map<String, BsonDocument>> source) {
        Map<String, BsonValue> targetIds = new HashMap<>();
        Map<String, List<BsonDocument>> claims = new TreeMap<>();
        for (BsonDocument parent : source.get("parents").values()) {
            BsonDocument transformed = COMPILED.collection("parents").apply(parent).document().orElseThrow();
            targetIds.put(identity(parent.get("_id")), transformed.get("_id"));
            claims.computeIfAbsent(key(transformed.get("_id")), k -> new ArrayList<>()).add(transformed);
        }
        Map<String, BsonDocument> parents = new TreeMap<>();
        Comparator<BsonDocument> bySourceKey = (a, b) -> Arrays.compareUnsigned(OutputRecords.key(a.get("old")),
                OutputRecords.key(b.get("old")));
        claims.forEach((k, candidates) -> parents.put(k, candidates.stream().min(bySourceKey).orElseThrow()));
        Map<String, BsonDocument> kids = new TreeMap<>();
        for (BsonDocument kid : source.get("kids").values()) {
            BsonDocument transformed = COMPILED.collection("kids").apply(kid, (c, ref) -> {
                BsonValue targetId = targetIds.get(identity(ref));
                return targetId == null ? Resolution.MISSING : Resolution.found(targetId);
            }).document().orElseThrow();
            kids.put(key(transformed.get("_id")), transformed);
        }
        return Map.of("parents", parents, "kids", kids);
    }

    private static BsonValue number(int value, int type) {
        return switch (type) {
            case 0 -> new BsonInt32(value);
            case 1 -> new BsonInt64(value);
            default -> new BsonDouble(value);
        };
    }

    private static String identity(BsonValue id) {
        return new String(IdentityKeys.of(id), StandardCharsets.ISO_8859_1);
    }

    private static String key(BsonValue id) {
        return new String(OutputRecords.key(id), StandardCharsets.UTF_8);
    }
}
