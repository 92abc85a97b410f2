package io.changeover.app.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import io.changeover.demo.DemoSpec;
import io.changeover.control.pipeline.SpecVerification;
import io.changeover.demo.sample.SampleDataset;
import io.changeover.embedded.mongo.EmbeddedMongo;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.verify.ExpectedSpecStrategy;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.verify.CollectionReport;

/**
 * Measures the verifier (run with {@code -Dverify.benchmark=true}): documents per second in full mode on the demo
 * dataset, and the peak heap of a {@code changeover verify} process on a million small documents (a separate JVM, so
 * the in-JVM MongoDB holding them does not count; its GC log gives the peak).
 */
@EnabledIfSystemProperty(named = "verify.benchmark", matches = "true")
class VerifierBenchmarkIT {
    @TempDir
    Path work;

    @Test
    void fullModeOnTheDemoDataset() {
        int size = Integer.getInteger("verify.benchmark.demo.size", 20_000);
        try (EmbeddedMongo mongo = EmbeddedMongo.start(); MongoClient client = MongoClients.create(mongo.connectionString())) {
            MigrationSpec spec = DemoSpec.load(mongo.connectionString(), mongo.connectionString(), "localhost:1", work);
            new SampleDataset(7, size).loadInto(client.getDatabase(spec.source().database()));
            CompiledSpec compiled = CompiledSpec.compile(spec);
            migrate(new ExpectedSpecStrategy(compiled, compiled.collection("jobs"), client.getDatabase(spec.source().database())),
                    client.getDatabase(spec.target().database()).getCollection("jobs", BsonDocument.class));

            long start = System.nanoTime();
            List<CollectionReport> reports = SpecVerification.run(spec, client, client, false);
            double seconds = (System.nanoTime() - start) / 1e9;

            assertThat(reports.get(0).mismatches()).isZero();
            System.out.printf("BENCHMARK verify full, demo dataset: %d source documents (%d expected) in %s s: %d docs/s%n",
                    reports.get(0).sourceCount(), reports.get(0).expectedCount(), String.format("%.2f", seconds),
                    Math.round(reports.get(0).sourceCount() / seconds));
        }
    }

    @Test
    void peakHeapOfAVerifyProcessOnAMillionDocuments() throws Exception {
        int size = Integer.getInteger("verify.benchmark.million.size", 1_000_000);
        String heap = System.getProperty("verify.benchmark.xmx", "256m");
        try (EmbeddedMongo mongo = EmbeddedMongo.start(); MongoClient client = MongoClients.create(mongo.connectionString())) {
            Path specFile = work.resolve("million.yaml");
            Files.writeString(specFile, """
                    migration: million
                    source: {uri: "%1$s", database: src}
                    target: {uri: "%1$s", database: dst}
                    kafka: {bootstrap.servers: "localhost:1"}
                    collections:
                      items:
                        steps:
                          - set: {version: 2}
                    """.formatted(mongo.connectionString()));
            MongoCollection<BsonDocument> source = client.getDatabase("src").getCollection("items", BsonDocument.class);
            MongoCollection<BsonDocument> target = client.getDatabase("dst").getCollection("items", BsonDocument.class);
            List<BsonDocument> s = new ArrayList<>();
            List<BsonDocument> t = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                BsonDocument doc = new BsonDocument("_id", new BsonInt32(i)).append("name", new BsonString("item " + i))
                        .append("n", new BsonInt64(i * 7L));
                s.add(doc);
                t.add(doc.clone().append("version", new BsonInt32(2)).append("_changeover_position", new BsonInt64(1)));
                if (s.size() == 5_000) {
                    source.insertMany(s);
                    target.insertMany(t);
                    s.clear();
                    t.clear();
                }
            }
            if (!s.isEmpty()) {
                source.insertMany(s);
                target.insertMany(t);
            }
            Path gcLog = work.resolve("gc.log");
            Process verify = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + heap, "-Xlog:gc:file=" + gcLog, "-jar", appJar().toString(), "verify", "--spec",
                    specFile.toString(), "--recheck-wait", "0", "--report", work.resolve("report.json").toString(),
                    "--work-dir", work.resolve("spill").toString())
                    .redirectErrorStream(true).redirectOutput(work.resolve("verify.out").toFile()).start();
            long start = System.nanoTime();
            assertThat(verify.waitFor(30, TimeUnit.MINUTES)).isTrue();
            double seconds = (System.nanoTime() - start) / 1e9;
            String out = Files.readString(work.resolve("verify.out"));
            assertThat(verify.exitValue()).as(out).isZero();
            System.out.printf("BENCHMARK verify process on %d documents, -Xmx%s: %s s, peak heap %d MiB (GC log); output:%n%s%n",
                    size, heap, String.format("%.1f", seconds), peakHeapMiB(gcLog), out);
        }
    }

    /** Writes the expected target as the sink would (the verify module's own expectation, stamped with a position). */
    private static void migrate(ExpectedSpecStrategy expected, MongoCollection<BsonDocument> target) {
        List<BsonDocument> batch = new ArrayList<>();
        for (BsonDocument d : expected.expectedDocuments().values()) {
            batch.add(d.clone().append("_changeover_position", new BsonInt64(1)));
            if (batch.size() == 1_000) {
                target.insertMany(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            target.insertMany(batch);
        }
    }

    /** The largest heap occupancy before a collection in a unified GC log ({@code 123M->45M(256M)}). */
    private static long peakHeapMiB(Path gcLog) throws IOException {
        Matcher m = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)").matcher(Files.readString(gcLog));
        long peak = 0;
        while (m.find()) {
            peak = Math.max(peak, Long.parseLong(m.group(1)));
        }
        return peak;
    }

    private static Path appJar() {
        Path jar = Path.of("target", "changeover-app.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build the app first: mvn -B -q -pl deploy/app package -DskipTests");
        }
        return jar;
    }
}
