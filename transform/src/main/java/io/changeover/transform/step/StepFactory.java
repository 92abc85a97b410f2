package io.changeover.transform.step;

/**
 * Compiles the arguments of one step kind, as written in the spec, into a {@link Step}.
 *
 * <p>Arguments are what the spec loader produced: maps with string keys, lists, strings, numbers, booleans, null.
 * A factory validates everything it can at compile time, so a bad spec never starts, and throws
 * {@link IllegalArgumentException} saying what was expected.
 */
@FunctionalInterface
public interface StepFactory {
    Step compile(Object arguments);
}
