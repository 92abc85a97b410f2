package io.changeover.transform.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;

import io.changeover.transform.spec.SpecLoader;
import io.changeover.transform.step.DedupePolicy;
import io.changeover.transform.step.IdResolver;
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

    private static final CompiledSpec TWO_REMAPS = CompiledSpec.compile(SpecLoader.parse("""
            migration: demo
            source: {uri: "mongodb://localhost:27017", database: legacy}
            target: {uri: "mongodb://localhost:27018", database: refactored}
            kafka: {bootstrap.servers: "localhost:9092"}
            collections:
              jobs:
                steps:
                  - remap: {field: pid, from: jobs}
                  - rename: {owner_ref: owner}
                  - remap: {field: owner, from: users}
                  - validate: {schema: {type: object, properties: {pid: {type: array, items: {type: string}}}}}
              users: {}
            """, "two-remaps.yaml"));

    /** The streaming topology's kind of resolver: a question it cannot answer yet makes it wait. */
    private static final class WaitingResolver implements IdResolver {
        final List<String> asked = new ArrayList<>();

        @Override
        public Resolution resolve(String collection, BsonValue sourceId) {
            asked.add(collection + ":" + sourceId.asInt32().getValue());
            return Resolution.PENDING;
        }

        @Override
        public boolean waiting() {
            return !asked.isEmpty();
        }
    }

    @Test
    void aWaitingResolverAsksEveryReferenceInOnePassAndStopsAfterTheLastRemap() {
        WaitingResolver resolver = new WaitingResolver();
        // the validate step would reject the unmapped (integer) pids: it must not run while the references wait
        TransformResult result = TWO_REMAPS.collection("jobs").apply(BsonDocument.parse("{_id: 9, pid: [1, 2], owner_ref: 7}"), resolver);
        assertThat(result.isWaiting()).isTrue();
        assertThat(result.isFilteredOut()).isFalse();
        assertThat(result.document()).isEmpty();
        assertThat(resolver.asked).containsExactly("jobs:1", "jobs:2", "users:7");
    }

    @Test
    void aResolverThatAnswersRunsEveryStep() {
        assertThatThrownBy(() -> TWO_REMAPS.collection("jobs").apply(BsonDocument.parse("{_id: 9, pid: [1], owner_ref: 7}"),
                (collection, id) -> Resolution.MISSING))
                .isInstanceOf(TransformException.class).hasMessageContaining("does not match the schema");
        TransformResult found = TWO_REMAPS.collection("jobs").apply(BsonDocument.parse("{_id: 9, pid: [1], owner_ref: 7}"),
                (collection, id) -> Resolution.found(new BsonString(collection + id.asInt32().getValue())));
        assertThat(found.document()).contains(BsonDocument.parse("{_id: 9, pid: ['jobs1'], owner: 'users7'}"));
        assertThat(found.isWaiting()).isFalse();
    }

    @Test
    void aSuspendedTransformResumedWithTheAnswersGivesWhatTheWholeTransformGives() {
        CollectionTransform jobs = TWO_REMAPS.collection("jobs");
        BsonDocument source = BsonDocument.parse("{_id: 9, pid: [1, 2], owner_ref: 7}");
        BsonDocument before = source.clone();
        TransformResult waiting = jobs.apply(source, new WaitingResolver());
        CollectionTransform.Suspended suspended = waiting.suspended().orElseThrow();
        assertThat(suspended.step()).as("the first remap step").isZero();
        IdResolver answers = (collection, id) -> Resolution.found(new BsonString(collection + id.asInt32().getValue()));

        TransformResult resumed = jobs.resume(suspended, answers);
        TransformResult again = jobs.resume(suspended, answers);

        assertThat(resumed.document()).isEqualTo(jobs.apply(source, answers).document())
                .contains(BsonDocument.parse("{_id: 9, pid: ['jobs1', 'jobs2'], owner: 'users7'}"));
        assertThat(again.document()).isEqualTo(resumed.document());
        assertThat(source).isEqualTo(before);
        WaitingResolver stillWaiting = new WaitingResolver();
        assertThat(jobs.resume(suspended, stillWaiting).isWaiting()).isTrue();
        assertThat(stillWaiting.asked).containsExactly("jobs:1", "jobs:2", "users:7");
    }
}
