package io.changeover.schema;

import java.util.Arrays;

/** A schema version such as {@code 3} or {@code 2.1}: dot-separated whole numbers, compared part by part. */
public record SchemaVersion(String text) implements Comparable<SchemaVersion> {
    public static final SchemaVersion NONE = new SchemaVersion("0");

    public SchemaVersion {
        if (text == null || !text.matches("[0-9]+(\\.[0-9]+)*")) {
            throw new IllegalArgumentException("schema version '" + text + "' must be whole numbers separated by dots (1, 2, 2.1)");
        }
    }

    @Override
    public int compareTo(SchemaVersion o) {
        long[] a = parts();
        long[] b = o.parts();
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            long x = i < a.length ? a[i] : 0;
            long y = i < b.length ? b[i] : 0;
            if (x != y) {
                return Long.compare(x, y);
            }
        }
        return 0;
    }

    private long[] parts() {
        return Arrays.stream(text.split("\\.")).mapToLong(Long::parseLong).toArray();
    }

    @Override
    public String toString() {
        return text;
    }
}
