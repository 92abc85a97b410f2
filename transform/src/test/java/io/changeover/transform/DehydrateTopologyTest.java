package io.changeover.transform;

import static io.changeover.transform.TransformTopologyTest.event;
import static io.changeover.transform.TransformTopologyTest.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.changeover.transform.blob.BlobKeys;
import io.changeover.transform.blob.BlobReference;
import io.changeover.transform.blob.FileSystemObjectStore;
import io.changeover.transform.engine.CollectionTransform;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.engine.TransformResult;
import io.changeover.transform.format.OutputRecords;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;
import io.changeover.transform.topics.Topics;

/** The dehydrate step in the engine and the topology: content is in the object store before any output record refers to it. */
class DehydrateTopologyTest {
    private static final Topics TOPICS = Topics.of("demo");

    @TempDir
    Path work;

    private static MigrationSpec spec(Path objects) {
        return SpecLoader.parse("""
                migration: demo
                source: {uri: "mongodb://localhost:27017", database: legacy}
                target: {uri: "mongodb://localhost:27018", database: refactored}
                kafka: {bootstrap.servers: "localhost:9092"}
                transform: {object.store.path: "%s"}
                collections:
                  results:
                    steps:
                      - convert: {rows: csv}
                      - dehydrate: {field: rows, min-size: 16, bucket: {field: type, values: {blast: blast-results}, default: results}}
                      - dehydrate: {field: image, min-size: 1024, bucket: images}
                """.formatted(objects), "demo.yaml");
    }

    private static TopologyTestDriver driver(MigrationSpec spec, Path state) {
        Properties props = TransformConfig.of(spec).streamsProperties(spec);
        props.put("state.dir", state.toString());
        return new TopologyTestDriver(TransformTopology.build(spec), props);
    }

    @Test
    void aListOfDictsBecomesACsvBlobAndTheTargetHoldsItsReference() {
        Path objects = work.resolve("objects");
        try (TopologyTestDriver driver = driver(spec(objects), work.resolve("state"))) {
            input(driver).pipeInput(key("1"), event("c",
                    "{_id: 1, type: 'blast', rows: [{gene: 'a', score: 1}, {gene: 'b', score: 2}]}", 1000, 1));

            BsonDocument target = single(output(driver));
            BlobReference ref = BlobReference.fromDocument(target.getDocument("rows"));
            assertThat(ref.bucket()).isEqualTo("blast-results");
            byte[] stored = new FileSystemObjectStore(objects).read(ref.bucket(), ref.key()).orElseThrow();
            String csv = new String(stored, StandardCharsets.UTF_8);
            assertThat(csv).contains("gene").contains("score").contains("a").contains("b");
            assertThat(ref.sha256()).isEqualTo(BlobKeys.sha256(stored));
            assertThat(ref.size()).isEqualTo(stored.length);
        }
    }

    @Test
    void aBinaryTwoDocumentsShareIsStoredOnceAndBothReferToIt() throws Exception {
        Path objects = work.resolve("objects");
        String image = Base64.getEncoder().encodeToString(new byte[4096]);
        try (TopologyTestDriver driver = driver(spec(objects), work.resolve("state"))) {
            TestInputTopic<byte[], byte[]> in = input(driver);
            in.pipeInput(key("1"), event("c", "{_id: 1, image: {$binary: {base64: '" + image + "', subType: '00'}}}", 1000, 1));
            in.pipeInput(key("2"), event("c", "{_id: 2, image: {$binary: {base64: '" + image + "', subType: '00'}}}", 2000, 1));

            List<BsonDocument> targets = output(driver).readValuesToList().stream().map(OutputRecords::document).toList();
            assertThat(targets).hasSize(2);
            assertThat(targets.get(0).get("image")).isEqualTo(targets.get(1).get("image"));
            try (Stream<Path> files = Files.walk(objects)) {
                assertThat(files.filter(Files::isRegularFile).toList()).singleElement()
                        .satisfies(p -> assertThat(p).hasSize(4096));
            }
        }
    }

    @Test
    void whenTheUploadFailsNothingRefersToTheMissingObject() throws Exception {
        Path notADirectory = Files.writeString(work.resolve("file"), "in the way");
        try (TopologyTestDriver driver = driver(spec(notADirectory), work.resolve("state"))) {
            TestOutputTopic<byte[], byte[]> out = output(driver);

            assertThatThrownBy(() -> input(driver).pipeInput(key("1"),
                    event("c", "{_id: 1, type: 'x', rows: [{text: 'long enough to be dehydrated'}]}", 1000, 1)))
                    .hasStackTraceContaining("cannot write object");
            assertThat(out.isEmpty()).isTrue();
        }
    }

    @Test
    void aRouteDehydratesIntoItsOwnBucket() {
        MigrationSpec spec = SpecLoader.parse("""
                migration: demo
                source: {uri: "mongodb://localhost:27017", database: legacy}
                target: {uri: "mongodb://localhost:27018", database: refactored}
                kafka: {bootstrap.servers: "localhost:9092"}
                collections:
                  records:
                    routes:
                      - {into: items, when: {kind: item}, steps: [{dehydrate: {field: body, min-size: 4, bucket: items}}]}
                      - {into: blocks, when: {kind: block}, steps: [{dehydrate: {field: body, min-size: 4, bucket: blocks}}]}
                """, "routes.yaml");
        CollectionTransform records = CompiledSpec.compile(spec).collection("records");

        TransformResult block = records.apply(BsonDocument.parse("{_id: 1, kind: 'block', body: 'block text'}"));

        assertThat(block.target()).contains("blocks");
        assertThat(block.uploads()).singleElement().satisfies(u -> assertThat(u.reference().bucket()).isEqualTo("blocks"));
        assertThat(block.document().orElseThrow().getDocument("body")).isEqualTo(block.uploads().get(0).reference().toDocument());
        assertThat(records.apply(BsonDocument.parse("{_id: 2, kind: 'item', body: 'item text'}")).uploads())
                .singleElement().satisfies(u -> assertThat(u.reference().bucket()).isEqualTo("items"));
    }

    private static TestInputTopic<byte[], byte[]> input(TopologyTestDriver driver) {
        return driver.createInputTopic(TOPICS.raw("legacy", "results"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static TestOutputTopic<byte[], byte[]> output(TopologyTestDriver driver) {
        return driver.createOutputTopic(TOPICS.output("results"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static BsonDocument single(TestOutputTopic<byte[], byte[]> out) {
        List<byte[]> values = out.readValuesToList();
        assertThat(values).hasSize(1);
        return OutputRecords.document(values.get(0));
    }
}
