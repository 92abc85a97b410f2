package io.changeover.control.pipeline;

import static io.changeover.control.pipeline.PipelineIT.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import io.changeover.control.lag.CapturePosition;
import io.changeover.control.lag.LagMonitor;
import io.changeover.control.lag.SourceClock;
import io.changeover.capture.CapturePhase;
import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.embedded.mongo.EmbeddedMongo;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;

/**
 * Documents that stopped the pipeline or lost writes, through the whole pipeline: one of 15 MiB (read by the snapshot,
 * then a 9 MiB field updated, which makes a change event over MongoDB's 16 MiB), one with top-level names starting
 * with {@code $}, one with a dotted top-level name. Once lag is zero, each target document is its source document
 * with the spec's rename applied by this test (not by the code under test).
 */
class HostileDocumentsPipelineIT {
    private static final int MIB = 1024 * 1024;
    private static final String SPEC = """
            migration: hostile
            source: {uri: "%s", database: legacy}
            target: {uri: "%s", database: refactored}
            kafka: {bootstrap.servers: "%s"}
            transform: {state.dir: "%s"}
            collections:
              docs:
                steps:
                  - rename: {kind: type}
            """;

    @TempDir
    Path work;

    @Test
    void largeDollarNamedAndDottedDocumentsMigrateExactlyAndNothingAfterThemIsLost() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); EmbeddedMongo sourceServer = EmbeddedMongo.start();
             EmbeddedMongo targetServer = EmbeddedMongo.start();
             MongoClient source = MongoClients.create(sourceServer.connectionString());
             MongoClient target = MongoClients.create(targetServer.connectionString())) {
            MigrationSpec spec = SpecLoader.parse(SPEC.formatted(sourceServer.connectionString(),
                    targetServer.connectionString(), kafka.bootstrapServers(), work.resolve("state")), "it.yaml");
            MongoDatabase legacy = source.getDatabase("legacy");
            MongoCollection<BsonDocument> docs = legacy.getCollection("docs", BsonDocument.class);
            docs.insertOne(new BsonDocument("_id", new BsonInt32(1)).append("kind", new BsonString("large"))
                    .append("blob", new BsonString("a".repeat(9 * MIB))).append("rest", new BsonString("c".repeat(6 * MIB))));
            insertAsIs(legacy, BsonDocument.parse("{_id: 2, kind: 'priced', '$price': 5, note: '$notAPath'}"));
            insertAsIs(legacy, BsonDocument.parse("{_id: 3, kind: 'dotted', 'a.b': 1}"));

            try (Pipeline pipeline = Pipeline.start(spec); Admin admin = Admin.create(Map.copyOf(spec.kafka()))) {
                await("snapshot done", pipeline, () -> pipeline.captureStatus().phase() == CapturePhase.STREAMING);
                docs.updateOne(Filters.eq("_id", 1), Updates.set("blob", "b".repeat(9 * MIB)));
                docs.updateOne(Filters.eq("_id", 2), Updates.set("kind", "repriced"));
                insertAsIs(legacy, BsonDocument.parse("{_id: 4, kind: 'after', '$tag': {'x.y': 1}}"));
                docs.deleteOne(Filters.eq("_id", 3));
                insertAsIs(legacy, BsonDocument.parse("{_id: 3, kind: 'dotted again', 'c.d': [1, 2]}"));

                try (LagMonitor lag = new LagMonitor(spec, admin, SourceClock.of(source),
                        CapturePosition.of(spec, pipeline.capture()))) {
                    await("zero lag", pipeline, () -> lag.measure().zero());
                }

                List<BsonDocument> expected = new ArrayList<>();
                docs.find().sort(new Document("_id", 1)).forEach(d -> expected.add(renamed(d)));
                List<BsonDocument> migrated = new ArrayList<>();
                target.getDatabase("refactored").getCollection("docs", BsonDocument.class).find()
                        .sort(new Document("_id", 1)).forEach(d -> migrated.add(withoutSinkMarker(d)));
                assertThat(migrated).hasSize(4);
                assertThat(migrated).containsExactlyElementsOf(expected);
                assertThat(pipeline.failure()).isEmpty();
            }
        }
    }

    /** The spec applied by hand: {@code kind} renamed to {@code type}, in place of the last field. */
    private static BsonDocument renamed(BsonDocument source) {
        BsonDocument out = new BsonDocument();
        source.forEach((name, value) -> {
            if (!"kind".equals(name)) {
                out.append(name, value);
            }
        });
        return out.append("type", source.get("kind"));
    }

    private static BsonDocument withoutSinkMarker(BsonDocument target) {
        BsonDocument out = target.clone();
        out.remove("_changeover_position");
        return out;
    }

    /** An insert command, which the driver sends without checking field names (as services on MongoDB 5.0 may). */
    private static void insertAsIs(MongoDatabase db, BsonDocument document) {
        db.runCommand(new BsonDocument("insert", new BsonString("docs"))
                .append("documents", new BsonArray(List.of(document))));
    }
}
