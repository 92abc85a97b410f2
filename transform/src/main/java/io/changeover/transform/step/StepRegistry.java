package io.changeover.transform.step;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.changeover.transform.canonical.CanonicalForm;
import io.changeover.transform.spec.SpecException;
import io.changeover.transform.spec.StepCheck;
import io.changeover.transform.spec.StepSpec;

/**
 * Step kinds by name. {@link #standard()} holds the built-in kinds; {@link #with} adds one (later: Java steps).
 * Immutable.
 */
public final class StepRegistry implements StepCheck {
    private static final StepRegistry STANDARD = new StepRegistry(new TreeMap<>())
            .with("keep", KeepStep::compile)
            .with("drop", DropStep::compile)
            .with("map", MapStep::compile)
            .with("rename", RenameStep::compile)
            .with("set", SetStep::compile)
            .with("unset", UnsetStep::compile)
            .with("convert", ConvertStep::compile)
            .with("rehash-id", rehashId(CanonicalForm.DEFAULT))
            .with("remap", RemapStep::compile)
            .with("dedupe", DedupeStep::compile)
            .with("validate", ValidateStep::compile)
            .with("java", JavaStep::compile)
            .with("dehydrate", DehydrateStep::compile)
            .with("lookup", LookupStep::compile);

    private final Map<String, StepFactory> factories;

    private StepRegistry(Map<String, StepFactory> factories) {
        this.factories = factories;
    }

    /** The built-in step kinds (documented in {@code docs/steps.md}). */
    public static StepRegistry standard() {
        return STANDARD;
    }

    /** The built-in step kinds, {@code rehash-id} hashing with {@code form}. */
    public static StepRegistry standard(CanonicalForm form) {
        if (form == CanonicalForm.DEFAULT) {
            return STANDARD;
        }
        Map<String, StepFactory> copy = new TreeMap<>(STANDARD.factories);
        copy.put("rehash-id", rehashId(form));
        return new StepRegistry(copy);
    }

    private static StepFactory rehashId(CanonicalForm form) {
        return arguments -> RehashIdStep.compile(arguments, form);
    }

    /** A registry with one more kind; a kind already registered is an error. */
    public StepRegistry with(String kind, StepFactory factory) {
        if (factories.containsKey(kind)) {
            throw new IllegalArgumentException("step kind '" + kind + "' is already registered");
        }
        Map<String, StepFactory> copy = new TreeMap<>(factories);
        copy.put(kind, factory);
        return new StepRegistry(copy);
    }

    public Set<String> kinds() {
        return factories.keySet();
    }

    /** Compiles one step; a bad kind or bad arguments throw a {@link SpecException} naming the step's location. */
    /** Compiles the step, so a spec that loads with this check can run. */
    @Override
    public void check(StepSpec spec) {
        compile(spec);
    }

    public Step compile(StepSpec spec) {
        StepFactory factory = factories.get(spec.kind());
        if (factory == null) {
            throw new SpecException(spec.location() + ": unknown step kind '" + spec.kind()
                    + "'; expected one of: " + String.join(", ", factories.keySet()));
        }
        try {
            return factory.compile(spec.arguments());
        } catch (SpecException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SpecException(spec.location() + ": " + e.getMessage(), e);
        }
    }
}
