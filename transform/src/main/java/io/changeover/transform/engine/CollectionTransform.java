package io.changeover.transform.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import io.changeover.transform.blob.BlobUpload;
import io.changeover.transform.query.Filter;
import io.changeover.transform.step.BlobStep;
import io.changeover.transform.step.DedupePolicy;
import io.changeover.transform.step.DedupeStep;
import io.changeover.transform.step.IdResolver;
import io.changeover.transform.step.LookupStep;
import io.changeover.transform.step.RemapStep;
import io.changeover.transform.step.Resolution;
import io.changeover.transform.step.SideLookup;
import io.changeover.transform.step.Step;

/**
 * The compiled steps of one source collection: a pure function from a source document to a {@link TransformResult}.
 * Used by the streaming topology and, without Kafka, by the verifier and the demo to compute the expected target.
 * Thread-safe; never mutates its input, and the result shares nothing with it.
 *
 * <p>A collection with {@code remap} steps needs an {@link IdResolver} ({@link #apply(BsonDocument, IdResolver)}); a
 * collection with routes sends each document to the first route whose filter matches ({@link TransformResult#target()}).
 */
public final class CollectionTransform {
    private final String source;
    private final String target;
    private final List<NamedStep> steps;
    private final List<Route> routes;
    /**
     * The index in the common steps after which a waiting transform stops: the last {@code remap} step, or none
     * ({@code steps.size()}) when a route remaps too (its references must be asked in the same pass).
     */
    private final int stopAfterInSteps;
    /** Who owns target ids ({@link #ownership()}), derived once from the steps. */
    private final Optional<DedupePolicy> ownership;
    /**
     * The first common-step index from which no step can change {@code _id} (with routes: past the end, since a route
     * may): a document suspended at or after it already has its target id.
     */
    private final int idFixedFrom;

    /** A compiled step and its label for errors ({@code step 2 (rename)}). */
    record NamedStep(String label, Step step) {
    }

    /** A compiled route: its target collection, filter and own steps. */
    record Route(String into, Filter when, List<NamedStep> steps) {
    }

    CollectionTransform(String source, String target, List<NamedStep> steps, List<Route> routes) {
        this.source = source;
        this.target = target;
        this.steps = List.copyOf(steps);
        this.routes = List.copyOf(routes);
        this.stopAfterInSteps = this.routes.stream().anyMatch(r -> lastRemap(r.steps()) < r.steps().size())
                ? this.steps.size() : lastRemap(this.steps);
        this.ownership = dedupe().or(() -> allSteps().stream().anyMatch(s -> s.step().mayChangeId())
                ? Optional.of(DedupePolicy.singleOwner()) : Optional.empty());
        int fixed = this.steps.size();
        while (fixed > 0 && !this.steps.get(fixed - 1).step().mayChangeId()) {
            fixed--;
        }
        this.idFixedFrom = this.routes.isEmpty() ? fixed : this.steps.size() + 1;
    }

    /** The source collection name. */
    public String source() {
        return source;
    }

    /** The target collection name (with routes: the first route's). */
    public String target() {
        return target;
    }

    /** Every target collection this collection writes to: {@link #target()}, or one per route in spec order. */
    public List<String> targets() {
        if (routes.isEmpty()) {
            return List.of(target);
        }
        return List.copyOf(new LinkedHashSet<>(routes.stream().map(Route::into).toList()));
    }

    /** The source collections whose ids this collection's {@code remap} steps rewrite (empty: needs no resolver). */
    public Set<String> remapSources() {
        Set<String> sources = new LinkedHashSet<>();
        allSteps().forEach(s -> {
            if (s.step() instanceof RemapStep remap) {
                sources.add(remap.from());
            }
        });
        return sources;
    }

    /** The side collections this collection's {@code lookup} steps read (empty: needs no side lookup). */
    public Set<String> lookupSources() {
        Set<String> sources = new LinkedHashSet<>();
        allSteps().forEach(s -> {
            if (s.step() instanceof LookupStep lookup) {
                sources.add(lookup.from());
            }
        });
        return sources;
    }

    /** The longest {@code wait} of this collection's {@code remap} steps, in seconds of source time. */
    public long remapWaitSeconds() {
        return allSteps().stream().filter(s -> s.step() instanceof RemapStep)
                .mapToLong(s -> ((RemapStep) s.step()).waitSeconds()).max().orElse(0);
    }

    /** The collection's dedupe policy, if it declares one. */
    public Optional<DedupePolicy> dedupe() {
        return steps.stream().filter(s -> s.step() instanceof DedupeStep)
                .map(s -> ((DedupeStep) s.step()).policy()).findFirst();
    }

    /**
     * Who owns a target id: the declared {@code dedupe} policy, or {@link DedupePolicy#singleOwner()} when a step may
     * change {@code _id} (two source documents can then claim one target id), or none when every target id is its
     * source id.
     */
    public Optional<DedupePolicy> ownership() {
        return ownership;
    }

    /** Applies the steps to a document of a collection without {@code remap} steps. */
    public TransformResult apply(BsonDocument sourceDocument) {
        return apply(sourceDocument, IdResolver.NONE);
    }

    /**
     * Applies the steps in order, then the routes. Throws {@link TransformException} naming the step when a step
     * fails or the target document has no {@code _id}.
     */
    public TransformResult apply(BsonDocument sourceDocument, IdResolver ids) {
        return apply(sourceDocument, ids, SideLookup.NONE);
    }

    /** Applies the steps of a collection with {@code lookup} steps, which find side documents through {@code sides}. */
    public TransformResult apply(BsonDocument sourceDocument, IdResolver ids, SideLookup sides) {
        Objects.requireNonNull(sourceDocument, "sourceDocument");
        return applyFrom(0, sourceDocument.clone(), List.of(), ids, sides);
    }

    /**
     * Goes on with a transform that stopped to wait for references ({@link TransformResult#suspended()}) from its
     * first {@code remap} step, instead of running the steps before it again: the same result as {@link #apply} on
     * the same source document, provided the side documents it looked up are unchanged (a side change is a new
     * change of the document, transformed whole). The suspended state is not changed, so it can be resumed again.
     */
    public TransformResult resume(Suspended suspended, IdResolver ids) {
        return resume(suspended, ids, SideLookup.NONE);
    }

    /** {@link #resume(Suspended, IdResolver)} for a collection whose steps after the first remap look up side documents. */
    public TransformResult resume(Suspended suspended, IdResolver ids, SideLookup sides) {
        Objects.requireNonNull(suspended, "suspended");
        return applyFrom(suspended.step(), suspended.document().clone(), suspended.uploads(), ids, sides);
    }

    /**
     * Where a transform that waits for references stopped, to go on from ({@link #resume}): the document just before
     * the collection's first {@code remap} step ({@code step}, an index into its common steps) and the uploads of the
     * steps before it.
     */
    public record Suspended(int step, BsonDocument document, List<BlobUpload> uploads) {
        public Suspended {
            uploads = List.copyOf(uploads);
        }
    }

    /**
     * The target id a waiting document will get, when no step from where it stopped on can change {@code _id} (and no
     * route follows): its referrers can be answered before its own references are. Empty when the id is not known yet.
     */
    public Optional<BsonValue> idWhileWaiting(Suspended suspended) {
        return suspended.step() >= idFixedFrom ? Optional.ofNullable(suspended.document().get("_id")) : Optional.empty();
    }

    private TransformResult applyFrom(int from, BsonDocument document, List<BlobUpload> uploadsSoFar, IdResolver ids,
                                      SideLookup sides) {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(sides, "sides");
        Inputs inputs = new Inputs(ids, sides, new ArrayList<>(uploadsSoFar));
        Outcome current = run(steps, document, inputs, from);
        if (current.waitingAt() != null) {
            return TransformResult.waiting(current.waitingAt(), current.suspended());
        }
        if (current.document() == null) {
            return TransformResult.filteredOut(current.filteredBy());
        }
        String into = target;
        BsonDocument transformed = current.document();
        if (!routes.isEmpty()) {
            Optional<Route> route = routes.stream().filter(r -> r.when().matches(transformed)).findFirst();
            if (route.isEmpty()) {
                return TransformResult.filteredOut("routes (no route matches)");
            }
            into = route.get().into();
            current = run(route.get().steps(), transformed, inputs, 0);
            if (current.waitingAt() != null) {
                return TransformResult.waiting(current.waitingAt(), current.suspended());
            }
            if (current.document() == null) {
                return TransformResult.filteredOut(current.filteredBy());
            }
        }
        requireId(current.document());
        return TransformResult.of(current.document(), into, inputs.uploads());
    }

    /**
     * The target {@code _id} a source document gets (empty when it is filtered out): what a {@code remap} of a
     * reference to it becomes. References inside it are left as they are, so it needs no resolver.
     */
    public Optional<BsonValue> targetId(BsonDocument sourceDocument) {
        return apply(sourceDocument, (collection, id) -> Resolution.PENDING, (collection, id) -> Optional.empty())
                .targetId();
    }

    /**
     * A document after some steps; or null and the step that filtered it out; or null and the {@code remap} step
     * that stopped because the resolver waits for an answer, with where to go on from (null when the first
     * {@code remap} is in a route).
     */
    private record Outcome(BsonDocument document, String filteredBy, String waitingAt, Suspended suspended) {
    }

    /** What steps other than pure document functions read (ids, side documents) and add to (uploads). */
    private record Inputs(IdResolver ids, SideLookup sides, List<BlobUpload> uploads) {
    }

    /**
     * Applies the steps of one list from index {@code from}. Once the last {@code remap} step has run (the last of the
     * collection's lists: when a route remaps, the common steps never stop) and the resolver waits for an answer, the
     * steps after it are skipped: the document is transformed again when the answer comes. Every reference is still
     * asked for in the one pass. Steps never change their input, so the document met at the first {@code remap} is
     * kept as it was, to resume from.
     */
    private Outcome run(List<NamedStep> list, BsonDocument document, Inputs inputs, int from) {
        int stopAfter = list == steps ? stopAfterInSteps : lastRemap(list);
        Suspended suspended = null;
        BsonDocument current = document;
        for (int i = from; i < list.size(); i++) {
            NamedStep named = list.get(i);
            if (suspended == null && list == steps && named.step() instanceof RemapStep) {
                suspended = new Suspended(i, current, inputs.uploads());
            }
            Optional<BsonDocument> next = applyStep(named, current, inputs);
            if (next.isEmpty()) {
                return new Outcome(null, named.label(), null, null);
            }
            if (i >= stopAfter && inputs.ids().waiting()) {
                return new Outcome(null, null, named.label(), suspended);
            }
            current = next.get();
        }
        return new Outcome(current, null, null, null);
    }

    private static int lastRemap(List<NamedStep> list) {
        for (int i = list.size() - 1; i >= 0; i--) {
            if (list.get(i).step() instanceof RemapStep) {
                return i;
            }
        }
        return list.size();
    }

    private List<NamedStep> allSteps() {
        List<NamedStep> all = new ArrayList<>(steps);
        routes.forEach(r -> all.addAll(r.steps()));
        return all;
    }

    private Optional<BsonDocument> applyStep(NamedStep named, BsonDocument document, Inputs inputs) {
        try {
            if (named.step() instanceof BlobStep blob) {
                BlobStep.Dehydration dehydrated = blob.dehydrate(document);
                inputs.uploads().addAll(dehydrated.uploads());
                return dehydrated.document();
            }
            if (named.step() instanceof LookupStep lookup) {
                return lookup.apply(document, inputs.sides());
            }
            return Objects.requireNonNull(named.step().apply(document, inputs.ids()), "step returned null");
        } catch (RuntimeException e) {
            throw new TransformException(source, named.label(), String.valueOf(e.getMessage()), e);
        }
    }

    private void requireId(BsonDocument document) {
        BsonValue id = document.get("_id");
        if (id == null) {
            throw new TransformException(source, "target _id", "the target document has no _id", null);
        }
        if (id.isArray() || id.isRegularExpression()) {
            throw new TransformException(source, "target _id", "the target _id cannot be " + id.getBsonType(), null);
        }
    }
}
