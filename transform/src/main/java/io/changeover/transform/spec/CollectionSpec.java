package io.changeover.transform.spec;

import java.util.List;

/**
 * One source collection: the target collection it goes into and its steps, applied in order.
 *
 * @param source source collection name
 * @param into   target collection name (defaults to the source name)
 * @param steps  steps in spec order
 */
public record CollectionSpec(String source, String into, List<StepSpec> steps) {
    public CollectionSpec {
        steps = List.copyOf(steps);
    }
}
