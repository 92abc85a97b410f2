package io.changeover.transform.spec;

/**
 * One step as written in the spec, before it is compiled into a transform.
 *
 * @param kind       the step's name ({@code keep}, {@code rename}, ...)
 * @param arguments  its YAML value: a map, a list or a scalar, as SnakeYAML loaded it
 * @param location   where it stands, for error messages: {@code file:line, collection 'jobs', step 2 (rename)}
 */
public record StepSpec(String kind, Object arguments, String location) {
}
