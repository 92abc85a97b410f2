package io.changeover.verify;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Filters;

import io.changeover.transform.engine.CollectionTransform;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.engine.TransformException;
import io.changeover.transform.engine.TransformResult;
import io.changeover.transform.format.IdentityKeys;
import io.changeover.transform.format.OutputRecords;
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
 *
 * <p>Also what else applies a spec outside the stream needs to check or write a few documents rather than all:
 * where documents land ({@link #placements}), which source documents share a target document ({@link #sourcesOf}),
 * the expected document of such a group ({@link #expectedGroup}), and what the spec says about ids
 * ({@link #changesIds}, {@link #keepOldIdField}, {@link #referrers}).
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
        Map<String, Map<ByteBuffer, BsonValue>> ids = transform.remapSources().isEmpty() ? Map.of() : idMap(sources);
        SourceSideLookup sides = new SourceSideLookup(source, transform.lookupSources(), sources);
        List<Expectation> expectations = new ArrayList<>(sources.size());
        for (BsonDocument doc : sources) {
            expectations.add(expect(doc, ids, sides));
        }
        return expectations;
    }

    private Expectation expect(BsonDocument doc, Map<String, Map<ByteBuffer, BsonValue>> ids, SideLookup sides) {
        BsonValue sourceId = doc.get("_id");
        Set<BsonValue> unresolved = new HashSet<>();
        TransformResult result;
        try {
            result = transform.apply(doc, (collection, id) -> {
                BsonValue targetId = ids.getOrDefault(collection, Map.of()).get(identity(id));
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

    /** An id as MongoDB's equality sees it: 5, NumberLong(5) and 5.0 are one key. */
    private static ByteBuffer identity(BsonValue id) {
        return ByteBuffer.wrap(IdentityKeys.of(id));
    }

    /** Source collection -> (identity of source id -> target id) for every id the batch references. */
    private Map<String, Map<ByteBuffer, BsonValue>> idMap(List<BsonDocument> sources) {
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
        Map<String, Map<ByteBuffer, BsonValue>> map = new HashMap<>();
        wanted.forEach((collection, sourceIds) -> map.put(collection, targetIds(collection, sourceIds)));
        return map;
    }

    private Map<ByteBuffer, BsonValue> targetIds(String collection, Set<BsonValue> sourceIds) {
        Map<ByteBuffer, BsonValue> targetIds = new HashMap<>();
        Optional<CollectionTransform> referenced = spec.find(collection);
        if (referenced.isEmpty()) {
            return targetIds;
        }
        for (BsonDocument doc : source.getCollection(collection, BsonDocument.class)
                .find(Filters.in("_id", sourceIds))) {
            try {
                referenced.get().targetId(doc).ifPresent(id -> targetIds.put(identity(doc.get("_id")), id));
            } catch (TransformException rejected) {
                // a rejected document has no target document: references to it are unresolved
            }
        }
        return targetIds;
    }

    /** A target document's place: its target collection and target {@code _id}. */
    public record Placement(String target, BsonValue id) {
    }

    /** Where the document of an expectation goes; empty when it has none (filtered out, rejected). */
    public static Optional<Placement> placement(Expectation expectation) {
        return expectation.document() == null ? Optional.empty()
                : Optional.of(new Placement(expectation.target(), expectation.document().get("_id")));
    }

    /**
     * Whether a document's target {@code _id} may differ from its source {@code _id}: a {@code rehash-id}, a
     * {@code rename} to {@code _id}, or a {@code java} step (which may do anything). When false, a source document
     * has at most one target document, under its own id.
     */
    public boolean changesIds() {
        for (StepSpec step : stepSpecs()) {
            if ("rehash-id".equals(step.kind()) || "java".equals(step.kind())) {
                return true;
            }
            if ("rename".equals(step.kind()) && step.arguments() instanceof Map<?, ?> args && args.containsValue("_id")) {
                return true;
            }
        }
        return false;
    }

    /** The field a {@code rehash-id} step keeps the source {@code _id} in ({@code keep-old-id}), if one does. */
    public Optional<String> keepOldIdField() {
        for (StepSpec step : stepSpecs()) {
            if ("rehash-id".equals(step.kind()) && step.arguments() instanceof Map<?, ?> args
                    && args.get("keep-old-id") instanceof String field) {
                return Optional.of(field);
            }
        }
        return Optional.empty();
    }

    /**
     * The source ids of this collection's documents that reference, through a {@code remap} step, one of
     * {@code changed} (source ids per source collection): their expected documents change with their references'
     * target ids. Queried on the source document at the {@code remap} step's field path (so a reference field renamed
     * by an earlier step is not found).
     */
    public Set<BsonValue> referrers(Map<String, Set<BsonValue>> changed) {
        Set<BsonValue> referrers = new LinkedHashSet<>();
        for (StepSpec step : stepSpecs()) {
            if ("remap".equals(step.kind()) && step.arguments() instanceof Map<?, ?> args
                    && args.get("field") instanceof String field && args.get("from") instanceof String from
                    && !changed.getOrDefault(from, Set.of()).isEmpty()) {
                source.getCollection(transform.source(), BsonDocument.class)
                        .find(Filters.in(field, changed.get(from))).projection(new BsonDocument("_id", new BsonInt32(1)))
                        .forEach(d -> referrers.add(d.get("_id")));
            }
        }
        return referrers;
    }

    /**
     * The source documents whose target documents are at {@code placements}, by placement, in source-id key order:
     * one pass over the whole source collection computing each document's placement (references and side documents
     * left out, as {@link CollectionTransform#targetId} does). Memory: the documents found.
     */
    public Map<Placement, List<BsonDocument>> sourcesOf(Set<Placement> placements) {
        Map<Placement, List<BsonDocument>> found = new HashMap<>();
        if (placements.isEmpty()) {
            return found;
        }
        try (MongoCursor<BsonDocument> cursor = source.getCollection(transform.source(), BsonDocument.class).find().iterator()) {
            while (cursor.hasNext()) {
                BsonDocument doc = cursor.next();
                placementIgnoringInputs(doc).filter(placements::contains)
                        .ifPresent(p -> found.computeIfAbsent(p, k -> new ArrayList<>()).add(doc));
            }
        }
        found.values().forEach(docs -> docs.sort(Comparator.comparing(d -> OutputRecords.key(d.get("_id")), Arrays::compareUnsigned)));
        return found;
    }

    private Optional<Placement> placementIgnoringInputs(BsonDocument doc) {
        try {
            TransformResult result = transform.apply(doc, (collection, id) -> Resolution.PENDING,
                    (collection, id) -> Optional.empty());
            return result.document().map(d -> new Placement(result.target().orElse(transform.target()), d.get("_id")));
        } catch (TransformException rejected) {
            return Optional.empty();
        }
    }

    /**
     * The expected target document of a group of source documents sharing one placement (from {@link #sourcesOf}), or
     * empty when none of them has a target document there: {@link #of} on the group, then {@link #combine} of those
     * that land there, in source-id key order. Rejected members take no part, as in a full verification.
     */
    public Optional<BsonDocument> expectedGroup(Placement placement, List<BsonDocument> group) {
        List<Candidate> candidates = new ArrayList<>();
        for (Expectation e : of(group)) {
            if (placement(e).filter(placement::equals).isPresent()) {
                candidates.add(new Candidate(OutputRecords.key(e.sourceId()), e.document()));
            }
        }
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        candidates.sort(Comparator.comparing(Candidate::sourceKey, Arrays::compareUnsigned));
        return Optional.of(combine(candidates));
    }

    /**
     * The whole expected target of this collection, in memory: every source document's expectation, groups combined
     * in source-id key order. For tests and small collections; the {@link Verifier} does the same with bounded memory.
     */
    public Map<Placement, BsonDocument> expectedDocuments() {
        return expectedDocuments(rejected -> { });
    }

    /** {@link #expectedDocuments()}, telling {@code rejected} about each document the spec rejects (a data error). */
    public Map<Placement, BsonDocument> expectedDocuments(java.util.function.Consumer<Expectation> rejected) {
        Map<Placement, List<Candidate>> groups = new LinkedHashMap<>();
        List<BsonDocument> batch = new ArrayList<>();
        try (MongoCursor<BsonDocument> cursor = source.getCollection(transform.source(), BsonDocument.class).find().iterator()) {
            while (cursor.hasNext()) {
                batch.add(cursor.next());
                if (batch.size() == 1_000 || !cursor.hasNext()) {
                    for (Expectation e : of(batch)) {
                        if (e.rejection() != null) {
                            rejected.accept(e);
                        }
                        placement(e).ifPresent(p -> groups.computeIfAbsent(p, k -> new ArrayList<>())
                                .add(new Candidate(OutputRecords.key(e.sourceId()), e.document())));
                    }
                    batch.clear();
                }
            }
        }
        Map<Placement, BsonDocument> expected = new LinkedHashMap<>();
        groups.forEach((p, candidates) -> {
            candidates.sort(Comparator.comparing(Candidate::sourceKey, Arrays::compareUnsigned));
            expected.put(p, combine(candidates));
        });
        return expected;
    }

    private List<StepSpec> stepSpecs() {
        CollectionSpec collection = spec.spec().collection(transform.source()).orElse(null);
        if (collection == null) {
            return List.of();
        }
        List<StepSpec> steps = new ArrayList<>(collection.steps());
        collection.routes().stream().map(RouteSpec::steps).forEach(steps::addAll);
        return steps;
    }

    @Override
    public BsonDocument combine(List<Candidate> candidates) {
        Optional<DedupePolicy> policy = transform.ownership();
        if (policy.isEmpty()) {
            return ExpectedTarget.super.combine(candidates);
        }
        List<DedupePolicy.Candidate> converted = candidates.stream()
                .map(c -> new DedupePolicy.Candidate(c.sourceKey(), c.document())).toList();
        return policy.get().combine(converted);
    }

    /** The source id kept by {@code keep-old-id}, when the spec keeps one. */
    @Override
    public Set<BsonValue> sourceIdsNamedBy(BsonDocument targetDocument) {
        return keepOldIdField().map(field -> Set.copyOf(ReferenceCheck.values(targetDocument, field)))
                .orElse(Set.of());
    }

    @Override
    public List<ReferenceRule> references() {
        List<ReferenceRule> rules = new ArrayList<>();
        for (StepSpec step : stepSpecs()) {
            if ("remap".equals(step.kind()) && step.arguments() instanceof Map<?, ?> args
                    && args.get("field") instanceof String field && args.get("from") instanceof String from) {
                spec.find(from).ifPresent(t -> rules.add(new ReferenceRule(field, t.target())));
            }
        }
        return rules;
    }
}
