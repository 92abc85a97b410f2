package io.changeover.transform.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.changeover.transform.canonical.CanonicalForm;
import io.changeover.transform.query.BsonConversion;
import io.changeover.transform.query.Filter;
import io.changeover.transform.spec.CollectionSpec;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.RouteSpec;
import io.changeover.transform.spec.SpecException;
import io.changeover.transform.spec.StepSpec;
import io.changeover.transform.step.StepRegistry;

/**
 * A migration spec compiled once into one {@link CollectionTransform} per source collection:
 * {@code CompiledSpec.compile(spec).collection("jobs").apply(doc)}. Immutable and thread-safe.
 */
public final class CompiledSpec {
    private final MigrationSpec spec;
    private final Map<String, CollectionTransform> collections;

    private CompiledSpec(MigrationSpec spec, Map<String, CollectionTransform> collections) {
        this.spec = spec;
        this.collections = collections;
    }

    /** Compiles with the built-in steps; a bad step is a {@code SpecException} naming its location. */
    public static CompiledSpec compile(MigrationSpec spec) {
        return compile(spec, StepRegistry.standard(CanonicalForm.named(spec.canonicalForm())));
    }

    public static CompiledSpec compile(MigrationSpec spec, StepRegistry registry) {
        Map<String, CollectionTransform> collections = new LinkedHashMap<>();
        for (CollectionSpec collection : spec.collections()) {
            collections.put(collection.source(), compile(collection, registry));
        }
        return new CompiledSpec(spec, collections);
    }

    /** Compiles one collection's steps. */
    public static CollectionTransform compile(CollectionSpec collection, StepRegistry registry) {
        List<CollectionTransform.Route> routes = new ArrayList<>();
        int number = 1;
        for (RouteSpec route : collection.routes()) {
            Filter when;
            try {
                when = Filter.compile(BsonConversion.document(route.when()));
            } catch (RuntimeException e) {
                throw new SpecException(route.location() + ": 'when': " + e.getMessage(), e);
            }
            routes.add(new CollectionTransform.Route(route.into(), when,
                    steps(route.steps(), "route " + number++ + " (" + route.into() + "), ", registry)));
        }
        return new CollectionTransform(collection.source(), collection.into(), steps(collection.steps(), "", registry), routes);
    }

    private static List<CollectionTransform.NamedStep> steps(List<StepSpec> specs, String prefix, StepRegistry registry) {
        List<CollectionTransform.NamedStep> steps = new ArrayList<>();
        int number = 1;
        for (StepSpec step : specs) {
            steps.add(new CollectionTransform.NamedStep(prefix + "step " + number++ + " (" + step.kind() + ")",
                    registry.compile(step)));
        }
        return steps;
    }

    public MigrationSpec spec() {
        return spec;
    }

    /** The transform of a source collection named in the spec; any other name is an {@link IllegalArgumentException}. */
    public CollectionTransform collection(String sourceCollection) {
        return find(sourceCollection).orElseThrow(() -> new IllegalArgumentException("collection '" + sourceCollection
                + "' is not in spec " + spec.origin() + "; it has: " + String.join(", ", collections.keySet())));
    }

    public Optional<CollectionTransform> find(String sourceCollection) {
        return Optional.ofNullable(collections.get(sourceCollection));
    }

    /** All collections, in spec order. */
    public List<CollectionTransform> collections() {
        return List.copyOf(collections.values());
    }
}
