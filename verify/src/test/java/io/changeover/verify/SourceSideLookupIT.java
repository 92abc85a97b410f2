package io.changeover.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.mongodb.client.MongoDatabase;

import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.spec.SpecLoader;

/**
 * The verifier's expected target of a collection with a {@code lookup} step: side fields come from the side
 * collection as it is in the source, matched by {@code _id}, and only fill what is missing.
 */
class SourceSideLookupIT {
    @RegisterExtension
    static final TestMongo MONGO = new TestMongo();


    @Test
    void missingFieldsAreFilledFromTheSideDocumentWithTheSameId() {
        MongoDatabase source = MONGO.client().getDatabase("lookup" + System.nanoTime());
        CompiledSpec spec = CompiledSpec.compile(SpecLoader.parse("""
                migration: lookupit
                source: {uri: "mongodb://unused", database: s}
                target: {uri: "mongodb://unused", database: t}
                kafka: {bootstrap.servers: "localhost:1"}
                collections:
                  jobs:
                    steps:
                      - lookup: {from: matrices, copy: {pssm: matrix}}
                  matrices:
                    steps:
                      - keep: {_id: {$exists: false}}
                """, "lookupit.yaml"));
        List<BsonDocument> jobs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            BsonDocument job = new BsonDocument("_id", new BsonInt32(i));
            if (i % 3 == 0) {
                job.append("pssm", new BsonString("own " + i));
            }
            jobs.add(job);
        }
        List<BsonDocument> sides = new ArrayList<>();
        for (int i = 0; i < 10; i += 2) {
            sides.add(new BsonDocument("_id", new BsonInt32(i)).append("matrix", new BsonString("side " + i)));
        }
        source.getCollection("matrices", BsonDocument.class).insertMany(sides);
        ExpectedTarget strategy = ExpectedSpecStrategy.of(spec, source).stream()
                .filter(s -> s.sourceCollection().equals("jobs")).findFirst().orElseThrow();

        List<ExpectedTarget.Expectation> expected = strategy.of(jobs);

        for (ExpectedTarget.Expectation e : expected) {
            int i = e.sourceId().asInt32().getValue();
            BsonDocument doc = e.document();
            if (i % 3 == 0) {
                assertThat(doc.getString("pssm").getValue()).isEqualTo("own " + i);
            } else if (i % 2 == 0) {
                assertThat(doc.getString("pssm").getValue()).isEqualTo("side " + i);
            } else {
                assertThat(doc.containsKey("pssm")).as("job %d has no side document", i).isFalse();
            }
        }
    }

    @Test
    void aSideIdOutsideTheBatchIsReadOnItsOwn() {
        MongoDatabase source = MONGO.client().getDatabase("lookup" + System.nanoTime());
        source.getCollection("matrices", BsonDocument.class)
                .insertOne(new BsonDocument("_id", new BsonInt32(7)).append("matrix", new BsonString("m")));
        SourceSideLookup lookup = new SourceSideLookup(source, java.util.Set.of("matrices"),
                List.of(new BsonDocument("_id", new BsonInt32(1))));

        assertThat(lookup.find("matrices", new BsonInt32(7))).map(d -> d.getString("matrix").getValue()).contains("m");
        assertThat(lookup.find("matrices", new BsonInt32(1))).isEmpty();
    }
}
