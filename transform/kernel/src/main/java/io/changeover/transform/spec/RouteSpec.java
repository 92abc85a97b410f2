package io.changeover.transform.spec;

import java.util.List;
import java.util.Map;

/**
 * One route of a split collection: documents matching {@code when} (a MongoDB query filter, on the document after the
 * collection's steps) go into {@code into}, after the route's own steps.
 *
 * @param into     target collection name
 * @param when     the filter, as loaded from YAML (an empty map matches every document)
 * @param steps    steps applied on this route only, after the collection's steps
 * @param location where it stands, for errors: {@code file:line, collection 'items', route 2 (blocks)}
 */
public record RouteSpec(String into, Map<String, Object> when, List<StepSpec> steps, String location) {
    public RouteSpec {
        steps = List.copyOf(steps);
    }
}
