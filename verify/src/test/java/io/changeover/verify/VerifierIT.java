package io.changeover.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.bson.BsonDocument;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import io.changeover.embedded.mongo.EmbeddedMongo;

class VerifierIT {
    private static EmbeddedMongo mongo;
    private static MongoClient client;
    private MongoDatabase source;
    private MongoDatabase target;

    /** The transform under test: keeps documents with keep=true, upper-cases name. */
    private static final ExpectedTarget TRANSFORM = doc -> {
        if (!doc.getBoolean("keep").getValue()) {
            return Optional.empty();
        }
        BsonDocument out = doc.clone();
        out.remove("keep");
        out.put("name", new BsonString(doc.getString("name").getValue().toUpperCase()));
        return Optional.of(out);
    };

    @BeforeAll
    static void start() {
        mongo = EmbeddedMongo.start();
        client = MongoClients.create(mongo.connectionString());
    }

    @AfterAll
    static void stop() {
        client.close();
        mongo.close();
    }

    @BeforeEach
    void cleanMigration() {
        source = client.getDatabase("src" + System.nanoTime());
        target = client.getDatabase("dst" + System.nanoTime());
        MongoCollection<BsonDocument> s = source.getCollection("items", BsonDocument.class);
        MongoCollection<BsonDocument> t = target.getCollection("items", BsonDocument.class);
        for (int i = 0; i < 1_234; i++) {
            BsonDocument doc = BsonDocument.parse("{_id: " + i + ", name: 'n" + i + "', keep: " + (i % 3 != 0) + "}");
            s.insertOne(doc);
            TRANSFORM.of(doc).ifPresent(t::insertOne);
        }
    }

    @Test
    void cleanMigrationHasNoMismatches() {
        CollectionReport report = verify();
        assertThat(report.sourceCount()).isEqualTo(1_234);
        assertThat(report.expectedCount()).isEqualTo(822);
        assertThat(report.targetCount()).isEqualTo(822);
        assertThat(report.mismatches()).isZero();
    }

    @Test
    void findsAndNamesEachInjectedFault() {
        MongoCollection<BsonDocument> t = target.getCollection("items", BsonDocument.class);
        t.deleteOne(Filters.eq("_id", 1));
        t.updateOne(Filters.eq("_id", 2), Updates.set("name", "changed"));
        t.insertOne(BsonDocument.parse("{_id: 3, name: 'N3'}"));
        CollectionReport report = verify();
        assertThat(report.missing()).isEqualTo(1);
        assertThat(report.different()).isEqualTo(1);
        assertThat(report.extra()).isEqualTo(1);
        assertThat(report.samples()).extracting(Difference::describe)
                .containsExactlyInAnyOrder("missing BsonInt32{value=1}", "different BsonInt32{value=2} fields [name]",
                        "extra BsonInt32{value=3}");
    }

    private CollectionReport verify() {
        return new Verifier(source, target, new DocumentComparator(false))
                .verify("items", List.of(new Verifier.Input("items", TRANSFORM)));
    }
}
