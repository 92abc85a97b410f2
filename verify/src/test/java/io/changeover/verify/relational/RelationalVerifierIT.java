package io.changeover.verify.relational;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

import org.bson.BsonArray;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

import io.changeover.embedded.mongo.EmbeddedMongo;
import io.changeover.embedded.postgres.LocalPostgres;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;
import io.changeover.verify.CollectionReport;
import io.changeover.verify.Difference;
import io.changeover.verify.ExpectedSpecStrategy;

/** The relational verifier on tables written by hand: equal tables pass, each kind of fault is found and named. */
class RelationalVerifierIT {
    private static final String SPEC = """
            migration: genes
            source: {uri: "%s", database: legacy}
            target:
              uri: "%s"
              tables:
                genes:
                  key: {column: id, type: bigint}
                  columns:
                    symbol: {type: text}
                    score: {type: double precision}
                    seen: {type: timestamptz}
                    meta: {type: jsonb}
                  children:
                    transcripts: {array: transcripts, parent-key: gene_id, columns: {name: {type: text}}}
            kafka: {bootstrap.servers: "localhost:9092"}
            collections:
              genes:
                steps:
                  - keep: {live: true}
                  - unset: [live]
            """;

    @Test
    void equalTablesPassAndEachFaultIsNamed() throws Exception {
        try (EmbeddedMongo mongo = EmbeddedMongo.start(); LocalPostgres postgres = LocalPostgres.start();
             MongoClient client = MongoClients.create(mongo.connectionString())) {
            postgres.createDatabase("target");
            MigrationSpec spec = SpecLoader.parse(SPEC.formatted(mongo.connectionString(), postgres.uri("target")), "g.yaml");
            MongoDatabase source = client.getDatabase("legacy");
            for (int i = 1; i <= 4; i++) {
                source.getCollection("genes", BsonDocument.class).insertOne(new BsonDocument("_id", new BsonInt32(i))
                        .append("live", new org.bson.BsonBoolean(i != 4)).append("symbol", new BsonString("S" + i))
                        .append("score", new BsonDouble(i / 4.0)).append("seen", new BsonDateTime(1_000L * i))
                        .append("meta", new BsonDocument("b", new BsonInt32(i)).append("a", new BsonArray(List.of(new BsonString("x")))))
                        .append("transcripts", new BsonArray(List.of(new BsonDocument("name", new BsonString("T" + i)),
                                new BsonDocument("name", new BsonString("U" + i))))));
            }
            try (Connection sql = DriverManager.getConnection(postgres.jdbcUrl("target"));
                 Statement statement = sql.createStatement()) {
                statement.execute("CREATE TABLE genes (id bigint PRIMARY KEY, symbol text, score double precision, "
                        + "seen timestamptz, meta jsonb)");
                statement.execute("CREATE TABLE transcripts (gene_id bigint, ordinal integer, name text)");
                for (int i = 1; i <= 3; i++) {   // jsonb keeps its own key order: the verifier does not care
                    statement.execute("INSERT INTO genes VALUES (" + i + ", 'S" + i + "', " + (i / 4.0) + ", "
                            + "to_timestamp(" + i + "), '{\"a\": [\"x\"], \"b\": " + i + "}')");
                    statement.execute("INSERT INTO transcripts VALUES (" + i + ", 0, 'T" + i + "'), (" + i + ", 1, 'U" + i + "')");
                }
                assertThat(verify(spec, source, postgres)).satisfies(r -> {
                    assertThat(r.mismatches()).as(r.samples().toString()).isZero();
                    assertThat(r.expectedCount()).isEqualTo(3);
                    assertThat(r.targetCount()).isEqualTo(3);
                    assertThat(r.sourceCount()).isEqualTo(4);
                });

                statement.execute("UPDATE genes SET score = 0.3 WHERE id = 1");
                statement.execute("UPDATE transcripts SET name = 'X' WHERE gene_id = 2 AND ordinal = 1");
                statement.execute("DELETE FROM genes WHERE id = 3");
                statement.execute("INSERT INTO genes (id, symbol) VALUES (4, 'S4')");
                statement.execute("INSERT INTO transcripts VALUES (9, 0, 'orphan')");
                CollectionReport report = verify(spec, source, postgres);
                assertThat(report.different()).isEqualTo(2);
                assertThat(report.missing()).isEqualTo(1);
                assertThat(report.extra()).as("gene 4 is filtered out; transcripts of 3 and 9 have no parent").isEqualTo(3);
                assertThat(report.samples()).anySatisfy(d -> {
                    assertThat(d.kind()).isEqualTo(Difference.Kind.DIFFERENT);
                    assertThat(d.fields()).containsExactly("score");
                });
                assertThat(report.samples()).anySatisfy(d -> assertThat(d.fields()).containsExactly("transcripts[1].name"));
            }
        }
    }

    private static CollectionReport verify(MigrationSpec spec, MongoDatabase source, LocalPostgres postgres) throws Exception {
        List<ExpectedSpecStrategy> strategies = ExpectedSpecStrategy.of(CompiledSpec.compile(spec), source).stream()
                .map(ExpectedSpecStrategy.class::cast).toList();
        try (Connection target = DriverManager.getConnection(postgres.jdbcUrl("target"))) {
            return new RelationalVerifier(source, target, spec.target().relational()).verify(strategies).get(0);
        }
    }
}
