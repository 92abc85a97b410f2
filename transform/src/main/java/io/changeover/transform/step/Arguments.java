package io.changeover.transform.step;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.changeover.transform.query.BsonConversion;

/** Checks on step arguments as loaded from YAML; each failure says what was expected. */
final class Arguments {
    private Arguments() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object arguments, String expected) {
        if (!(arguments instanceof Map) || ((Map<?, ?>) arguments).isEmpty()) {
            throw new IllegalArgumentException("expected " + expected + ", got " + describe(arguments));
        }
        for (Object key : ((Map<?, ?>) arguments).keySet()) {
            if (!(key instanceof String)) {
                throw new IllegalArgumentException("expected string keys in " + expected + ", got " + describe(key));
            }
        }
        return (Map<String, Object>) arguments;
    }

    static void onlyKeys(Map<String, Object> arguments, Set<String> allowed, String step) {
        for (String key : arguments.keySet()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("unknown argument '" + key + "' of " + step + "; expected " + allowed);
            }
        }
    }

    static String string(Object value, String what) {
        if (!(value instanceof String) || ((String) value).isEmpty()) {
            throw new IllegalArgumentException("expected " + what + " (a non-empty string), got " + describe(value));
        }
        return (String) value;
    }

    static List<?> list(Object value, String what) {
        if (!(value instanceof List) || ((List<?>) value).isEmpty()) {
            throw new IllegalArgumentException("expected " + what + " (a non-empty list), got " + describe(value));
        }
        return (List<?>) value;
    }

    static String describe(Object value) {
        return BsonConversion.describe(value);
    }
}
