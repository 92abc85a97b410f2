package io.changeover.transform.step;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.bson.BsonDocument;

/**
 * {@code java: {class: <class name>, options: {...}}}: applies a {@link JavaTransform} found on the classpath,
 * instantiated once when the spec is loaded (a missing class, a class that is not a {@code JavaTransform} or a failing
 * constructor is a spec error). Example: {@code java: {class: com.example.SplitName, options: {field: name}}}.
 */
public final class JavaStep implements Step {
    private final JavaTransform transform;

    private JavaStep(JavaTransform transform) {
        this.transform = transform;
    }

    static Step compile(Object arguments) {
        Map<String, Object> map = Arguments.map(arguments, "{class: <class name>, options: {...}}");
        Arguments.onlyKeys(map, Set.of("class", "options"), "java");
        String name = Arguments.string(map.get("class"), "'class', the name of a class implementing "
                + JavaTransform.class.getName());
        Object options = map.getOrDefault("options", Map.of());
        if (!(options instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("expected 'options', a map, got " + Arguments.describe(options));
        }
        return new JavaStep(instantiate(name, (Map<?, ?>) options));
    }

    private static JavaTransform instantiate(String name, Map<?, ?> options) {
        Class<?> type;
        try {
            type = Class.forName(name, true, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("class '" + name + "' is not on the classpath");
        }
        if (!JavaTransform.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("class '" + name + "' does not implement " + JavaTransform.class.getName());
        }
        try {
            try {
                Constructor<?> withOptions = type.getConstructor(Map.class);
                return (JavaTransform) withOptions.newInstance(Map.copyOf(options));
            } catch (NoSuchMethodException e) {
                if (!options.isEmpty()) {
                    throw new IllegalArgumentException("class '" + name + "' takes no options (it has no public"
                            + " constructor taking a Map)");
                }
                return (JavaTransform) type.getConstructor().newInstance();
            }
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("class '" + name + "' has no public constructor taking no argument or a Map");
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("class '" + name + "' failed to start: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("class '" + name + "' cannot be instantiated: " + e, e);
        }
    }

    @Override
    public Optional<BsonDocument> apply(BsonDocument document) {
        return Optional.ofNullable(transform.apply(document.clone()));
    }
}
