package io.changeover.transform;

import static io.changeover.transform.TestClients.committedConsumer;
import static io.changeover.transform.TestClients.rawProducer;
import static io.changeover.transform.TransformTopologyTest.event;
import static io.changeover.transform.TransformTopologyTest.key;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.transform.blob.BlobReference;
import io.changeover.transform.blob.EmbeddedS3;
import io.changeover.transform.blob.S3ObjectStore;
import io.changeover.transform.format.OutputRecords;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;
import io.changeover.transform.topics.Topics;

/**
 * dehydrate into a real S3-API server (S3Proxy, configured through {@code object.store.*} with credentials from the AWS
 * default chain) and lookup with a late side document, on a real broker with 4 partitions per raw topic.
 */
class BlobAndLookupIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static EmbeddedKafka kafka;
    private static EmbeddedS3 s3;

    @TempDir
    static Path stateDir;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start();
        s3 = EmbeddedS3.start();
        System.setProperty("aws.accessKeyId", EmbeddedS3.ACCESS_KEY);       // the default provider chain reads these
        System.setProperty("aws.secretAccessKey", EmbeddedS3.SECRET_KEY);
    }

    @AfterAll
    static void stop() throws Exception {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        if (s3 != null) {
            s3.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void blobsGoToS3OnceAndALateSideDocumentReachesTheTarget() throws Exception {
        MigrationSpec spec = SpecLoader.parse("""
                migration: it-blobs
                source: {uri: "mongodb://localhost:27017", database: legacy}
                target: {uri: "mongodb://localhost:27018", database: refactored}
                kafka: {bootstrap.servers: "%s"}
                transform:
                  state.dir: "%s"
                  object.store.type: s3
                  object.store.s3.endpoint: "%s"
                  object.store.s3.region: %s
                  object.store.s3.path.style: true
                  object.store.s3.create.buckets: true
                collections:
                  jobs:
                    steps:
                      - lookup: {from: archive, copy: {matrix: matrix}}
                      - convert: {rows: csv}
                      - dehydrate: {field: rows, min-size: 8, bucket: {field: type, values: {blast: blast-results}, default: results}}
                  archive:
                    steps:
                      - keep: {_id: {$exists: false}}
                """.formatted(kafka.bootstrapServers(), stateDir, s3.endpoint(), EmbeddedS3.REGION), "it.yaml");
        Topics topics = Topics.of("it-blobs");
        String jobs = topics.raw("legacy", "jobs");
        String archive = topics.raw("legacy", "archive");
        String rows = "[{gene: 'a', score: 1}, {gene: 'b', score: 2}]";

        try (TransformRunner runner = TransformRunner.start(spec);
             KafkaProducer<byte[], byte[]> producer = rawProducer(kafka.bootstrapServers());
             KafkaConsumer<byte[], byte[]> consumer = committedConsumer(kafka.bootstrapServers(), topics.output("jobs"))) {
            for (int id = 1; id <= 6; id++) {
                producer.send(new ProducerRecord<>(jobs, key(Integer.toString(id)),
                        event("r", "{_id: " + id + ", type: 'blast', rows: " + rows + "}", 1000, id)));
            }
            producer.flush();
            producer.send(new ProducerRecord<>(archive, key("5"), event("c", "{_id: 5, matrix: [[5, 5]]}", 2000, 1)));
            producer.flush();

            Map<Integer, BsonDocument> targets = readUntil(consumer, runner,
                    t -> t.size() == 6 && t.get(5).containsKey("matrix"));

            assertThat(targets.get(5).get("matrix")).isEqualTo(BsonDocument.parse("{m: [[5, 5]]}").get("m"));
            assertThat(targets.values()).allSatisfy(d -> assertThat(d.get("rows")).isEqualTo(targets.get(1).get("rows")));
            BlobReference ref = BlobReference.fromDocument(targets.get(1).getDocument("rows"));
            assertThat(ref.bucket()).isEqualTo("blast-results");
            try (S3ObjectStore store = S3ObjectStore.open(s3.endpoint(), EmbeddedS3.REGION, true, false,
                    EmbeddedS3.credentials())) {
                assertThat(store.read(ref.bucket(), ref.key()).map(b -> new String(b, StandardCharsets.UTF_8)))
                        .contains("gene,score\na,1\nb,2\n");
                assertThat(store.sha256Of(ref.bucket(), ref.key())).contains(ref.sha256());
            }
            assertThat(runner.failure()).isEmpty();
        }
    }

    private static Map<Integer, BsonDocument> readUntil(KafkaConsumer<byte[], byte[]> consumer, TransformRunner runner,
                                                        Predicate<Map<Integer, BsonDocument>> done) {
        Map<Integer, BsonDocument> targets = new TreeMap<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.test(targets)) {
            assertThat(runner.failure()).as("transform failure").isEmpty();
            assertThat(System.nanoTime()).as("targets before giving up: " + targets).isLessThan(deadline);
            consumer.poll(Duration.ofMillis(200)).forEach(r -> targets.put(
                    OutputRecords.id(r.key()).asInt32().getValue(), OutputRecords.document(r.value())));
        }
        return targets;
    }

}
