package io.changeover.verify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

import io.changeover.transform.engine.CollectionTransform;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.engine.TransformException;
import io.changeover.transform.engine.TransformResult;
import io.changeover.transform.spec.CollectionSpec;
import io.changeover.transform.spec.RouteSpec;
import io.changeover.transform.spec.StepSpec;
import io.changeover.transform.step.DedupePolicy;
import io.changeover.transform.step.Resolution;
import io.changeover.transform.step.SideLookup;

/**
 * The expected target of one spec collection, from the transform's pure functions. References rewritten by
 * {@code remap} steps are resolved through an old-to-new id map the verifier builds itself, in bulk, per batch: the
 * batch is transformed once to learn which ids it references, those documents are read from the source collections
 * they live in (one {@code $in} query per collection) and their target ids computed with
 * {@link CollectionTransform#targetId}; then the batch is transformed with that map. Side documents of {@code lookup}
 * steps are read directly from the source ({@link SourceSideLookup}), never from the pipeline. Memory: one batch.
 */
public final class ExpectedSpecStrategy implements ExpectedTarget {
    private final CompiledSpec spec;
    private final CollectionTransform transform;
    private final MongoDatabase source;

    public ExpectedSpecStrategy(CompiledSpec spec, CollectionTransform transform, MongoDatabase source) {
        this.spec = spec;
        this.transform = transform;
        this.source = source;
    }

    /** One strategy per collection of the spec. */
    public static List<ExpectedTarget> of(CompiledSpec spec, MongoDatabase source) {
        List<ExpectedTarget> strategies = new ArrayList<>();
        spec.collections().forEach(t -> strategies.add(new ExpectedSpecStrategy(spec, t, source)));
        return strategies;
    }

    @Override
    public String sourceCollection() {
        return transform.source();
    }

    @Override
    public List<String> targets() {
        return transform.targets();
    }

    @Override
    public List<Expectation> of(List<BsonDocument> sources) {
        Map<String, Map<BsonValue, BsonValue>> ids = transform.remapSources().isEmpty() ? Map.of() : idMap(sources);
        SourceSideLookup sides = new SourceSideLookup(source, transform.lookupSources(), sources);
        List<Expectation> expectations = new ArrayList<>(sources.size());
        for (BsonDocument doc : sources) {
            expectations.add(expect(doc, ids, sides));
        }
        return expectations;
    }

    private Expectation expect(BsonDocument doc, Map<String, Map<BsonValue, BsonValue>> ids, SideLookup sides) {
        BsonValue sourceId = doc.get("_id");
        Set<BsonValue> unresolved = new HashSet<>();
        TransformResult result;
        try {
            result = transform.apply(doc, (collection, id) -> {
                BsonValue targetId = ids.getOrDefault(collection, Map.of()).get(id);
                if (targetId == null) {
                    unresolved.add(id);
                    return Resolution.MISSING;
                }
                return Resolution.found(targetId);
            }, sides);
        } catch (TransformException e) {
            return Expectation.rejected(sourceId, e.getMessage());
        }
        if (result.isFilteredOut()) {
            return Expectation.filteredOut(sourceId);
        }
        String target = result.target().orElse(transform.target());
        return new Expectation(sourceId, target, result.document().orElseThrow(), null, Set.copyOf(unresolved));
    }

    /** Source collection -> (source id -> target id) for every id the batch references. */
    private Map<String, Map<BsonValue, BsonValue>> idMap(List<BsonDocument> sources) {
        Map<String, Set<BsonValue>> wanted = new LinkedHashMap<>();
        for (BsonDocument doc : sources) {
            try {
                transform.apply(doc, (collection, id) -> {
                    wanted.computeIfAbsent(collection, c -> new HashSet<>()).add(id);
                    return Resolution.MISSING;
                }, (collection, id) -> Optional.empty());
            } catch (TransformException ignored) {
                // a missing: dead-letter policy, or a rejected document: the second pass tells which
            }
        }
        Map<String, Map<BsonValue, BsonValue>> map = new HashMap<>();
        wanted.forEach((collection, sourceIds) -> map.put(collection, targetIds(collection, sourceIds)));
        return map;
    }

    private Map<BsonValue, BsonValue> targetIds(String collection, Set<BsonValue> sourceIds) {
        Map<BsonValue, BsonValue> targetIds = new HashMap<>();
        Optional<CollectionTransform> referenced = spec.find(collection);
        if (referenced.isEmpty()) {
            return targetIds;
        }
        for (BsonDocument doc : source.getCollection(collection, BsonDocument.class)
                .find(Filters.in("_id", sourceIds))) {
            try {
                referenced.get().targetId(doc).ifPresent(id -> targetIds.put(doc.get("_id"), id));
            } catch (TransformException rejected) {
                // a rejected document has no target document: references to it are unresolved
            }
        }
        return targetIds;
    }

    @Override
    public BsonDocument combine(List<Candidate> candidates) {
        Optional<DedupePolicy> policy = transform.dedupe();
        if (policy.isEmpty()) {
            return ExpectedTarget.super.combine(candidates);
        }
        List<DedupePolicy.Candidate> converted = candidates.stream()
                .map(c -> new DedupePolicy.Candidate(c.sourceKey(), c.document())).toList();
        return policy.get().combine(converted);
    }

    @Override
    public List<ReferenceRule> references() {
        List<ReferenceRule> rules = new ArrayList<>();
        CollectionSpec collection = spec.spec().collection(transform.source()).orElse(null);
        if (collection == null) {
            return rules;
        }
        List<StepSpec> steps = new ArrayList<>(collection.steps());
        collection.routes().stream().map(RouteSpec::steps).forEach(steps::addAll);
        for (StepSpec step : steps) {
            if ("remap".equals(step.kind()) && step.arguments() instanceof Map<?, ?> args
                    && args.get("field") instanceof String field && args.get("from") instanceof String from) {
                spec.find(from).ifPresent(t -> rules.add(new ReferenceRule(field, t.target())));
            }
        }
        return rules;
    }
}
