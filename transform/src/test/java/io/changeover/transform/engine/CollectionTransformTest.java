package io.changeover.transform.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;

import io.changeover.transform.spec.SpecLoader;
import io.changeover.transform.step.DedupePolicy;
import io.changeover.transform.step.Resolution;

/** The pure API the verifier uses: target ids, remap with a caller's resolver, routes, dedupe policy. */
class CollectionTransformTest {
    private static final CompiledSpec SPEC = CompiledSpec.compile(SpecLoader.parse("""
            migration: demo
            source: {uri: "mongodb://localhost:27017", database: legacy}
            target: {uri: "mongodb://localhost:27018", database: refactored}
            kafka: {bootstrap.servers: "localhost:9092"}
            collections:
              genes:
                steps:
                  - keep: {valid: true}
                  - rehash-id: {fields: [symbol]}
                  - dedupe: {policy: keep-latest, by: version}
              jobs:
                steps:
                  - remap: {field: genes, from: genes, missing: drop}
                routes:
                  - {into: big_jobs, when: {size: {$gte: 100}}}
                  - {into: small_jobs, when: {size: {$lt: 100}}}
            """, "demo.yaml"));

    @Test
    void targetIdIsTheIdAfterTheStepsAndEmptyWhenFilteredOut() {
        CollectionTransform genes = SPEC.collection("genes");
        BsonValue a = genes.targetId(BsonDocument.parse("{_id: 1, symbol: 'TP53', valid: true}")).orElseThrow();
        BsonValue b = genes.targetId(BsonDocument.parse("{_id: 2, valid: true, symbol: 'TP53', version: 3}")).orElseThrow();
        assertThat(a).isEqualTo(b);
        assertThat(genes.targetId(BsonDocument.parse("{_id: 3, symbol: 'TP53', valid: false}"))).isEmpty();
        assertThat(genes.dedupe()).map(DedupePolicy::kind).contains(DedupePolicy.Kind.KEEP_LATEST);
        assertThat(genes.remapSources()).isEmpty();
    }

    @Test
    void remapUsesTheCallersResolverAndRoutesNameTheTarget() {
        CollectionTransform jobs = SPEC.collection("jobs");
        Map<BsonValue, BsonValue> ids = Map.of(new org.bson.BsonInt32(1), new BsonString("g1"));
        TransformResult result = jobs.apply(BsonDocument.parse("{_id: 9, size: 5, genes: [1, 2]}"),
                (collection, id) -> ids.containsKey(id) ? Resolution.found(ids.get(id)) : Resolution.MISSING);
        assertThat(result.document()).contains(BsonDocument.parse("{_id: 9, size: 5, genes: ['g1']}"));
        assertThat(result.target()).contains("small_jobs");
        assertThat(jobs.targets()).containsExactly("big_jobs", "small_jobs");
        assertThat(jobs.remapSources()).containsExactly("genes");
        assertThat(jobs.apply(BsonDocument.parse("{_id: 9, genes: []}"), (c, id) -> Resolution.MISSING).filteredBy())
                .contains("routes (no route matches)");
    }

    @Test
    void applyWithoutAResolverOnARemappingCollectionIsADataErrorSayingWhatToCall() {
        assertThatThrownBy(() -> SPEC.collection("jobs").apply(BsonDocument.parse("{_id: 9, size: 5, genes: [1]}")))
                .isInstanceOf(TransformException.class).hasMessageContaining("apply(document, IdResolver)");
    }
}
