package io.changeover.transform.spec;

/**
 * Checks one step of a spec while the spec loads; the transform's step registry compiles it, so a spec that loads can
 * run. Throws a {@link SpecException} naming the step's location and what was expected.
 */
@FunctionalInterface
public interface StepCheck {
    /** Checks nothing: the steps are checked when the transform compiles the spec. */
    StepCheck NONE = step -> { };

    void check(StepSpec step);
}
