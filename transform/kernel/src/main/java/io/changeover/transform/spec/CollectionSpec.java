package io.changeover.transform.spec;

import java.util.List;

/**
 * One source collection: the target collection it goes into and its steps, applied in order; or, with routes, the
 * target collections it is split into, each document going to the first route whose filter it matches.
 *
 * @param source source collection name
 * @param into   target collection name (defaults to the source name; with routes, the first route's)
 * @param steps  steps in spec order, applied before routing
 * @param routes empty, or the routes a document can take (in spec order)
 */
public record CollectionSpec(String source, String into, List<StepSpec> steps, List<RouteSpec> routes) {
    public CollectionSpec {
        steps = List.copyOf(steps);
        routes = List.copyOf(routes);
    }

    /** A collection without routes. */
    public CollectionSpec(String source, String into, List<StepSpec> steps) {
        this(source, into, steps, List.of());
    }
}
