package io.changeover.transform.query;

import java.util.List;
import java.util.Optional;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonValue;

/**
 * A dotted path into a document ({@code input_data.seq}), with copy-on-write updates: {@link #with} and
 * {@link #without} return a new document and copy only the documents and arrays on the path; the input is never
 * changed. A numeric segment indexes an array ({@code items.0.sku}).
 */
public final class DocumentPath {
    private final String path;
    private final List<String> segments;

    private DocumentPath(String path, List<String> segments) {
        this.path = path;
        this.segments = segments;
    }

    /** Parses {@code a.b.c}; empty segments and segments starting with {@code $} are rejected. */
    public static DocumentPath parse(String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("expected a field path, got an empty one");
        }
        List<String> segments = List.of(path.split("\\.", -1));
        for (String segment : segments) {
            if (segment.isEmpty() || segment.startsWith("$")) {
                throw new IllegalArgumentException("field path '" + path
                        + "' is not valid: expected names separated by single dots, none starting with '$'");
            }
        }
        return new DocumentPath(path, segments);
    }

    public List<String> segments() {
        return segments;
    }

    /** True when this path is {@code _id} or inside it. */
    public boolean touchesId() {
        return segments.get(0).equals("_id");
    }

    /** True when this path equals {@code other} or is an ancestor of it ({@code a} of {@code a.b}). */
    public boolean covers(DocumentPath other) {
        return other.segments.size() >= segments.size() && other.segments.subList(0, segments.size()).equals(segments);
    }

    /** The value at this path, if present. */
    public Optional<BsonValue> get(BsonDocument document) {
        BsonValue current = document;
        for (String segment : segments) {
            current = child(current, segment);
            if (current == null) {
                return Optional.empty();
            }
        }
        return Optional.of(current);
    }

    /**
     * A copy of {@code document} with {@code value} at this path. Missing documents on the way are created; a value on
     * the way that is neither a document nor an array indexed by number is an {@link IllegalArgumentException}.
     */
    public BsonDocument with(BsonDocument document, BsonValue value) {
        return (BsonDocument) set(document, 0, value);
    }

    /** A copy of {@code document} without the value at this path (an array element becomes null, as in MongoDB). */
    public BsonDocument without(BsonDocument document) {
        return get(document).isPresent() ? (BsonDocument) remove(document, 0) : document;
    }

    private BsonValue set(BsonValue container, int depth, BsonValue value) {
        String segment = segments.get(depth);
        boolean last = depth == segments.size() - 1;
        if (container.isDocument()) {
            BsonDocument copy = copy(container.asDocument());
            BsonValue child = copy.get(segment);
            copy.put(segment, last ? value : set(child == null ? new BsonDocument() : child, depth + 1, value));
            return copy;
        }
        int index = index(segment);
        if (container.isArray() && index >= 0) {
            BsonArray copy = new BsonArray(container.asArray());
            while (copy.size() <= index) {
                copy.add(BsonNull.VALUE);
            }
            copy.set(index, last ? value : set(copy.get(index).isNull() ? new BsonDocument() : copy.get(index),
                    depth + 1, value));
            return copy;
        }
        throw new IllegalArgumentException("cannot set '" + path + "': '" + prefix(depth) + "' holds "
                + container.getBsonType().name().toLowerCase() + ", not a document");
    }

    private BsonValue remove(BsonValue container, int depth) {
        String segment = segments.get(depth);
        boolean last = depth == segments.size() - 1;
        if (container.isDocument()) {
            BsonDocument copy = copy(container.asDocument());
            if (last) {
                copy.remove(segment);
            } else {
                copy.put(segment, remove(copy.get(segment), depth + 1));
            }
            return copy;
        }
        BsonArray copy = new BsonArray(container.asArray());
        int index = index(segment);
        copy.set(index, last ? BsonNull.VALUE : remove(copy.get(index), depth + 1));
        return copy;
    }

    private static BsonValue child(BsonValue container, String segment) {
        if (container.isDocument()) {
            return container.asDocument().get(segment);
        }
        int index = index(segment);
        if (container.isArray() && index >= 0 && index < container.asArray().size()) {
            return container.asArray().get(index);
        }
        return null;
    }

    public static int index(String segment) {
        if (segment.isEmpty() || segment.length() > 9) {
            return -1;
        }
        for (int i = 0; i < segment.length(); i++) {
            if (segment.charAt(i) < '0' || segment.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(segment);
    }

    private String prefix(int depth) {
        return depth == 0 ? "(document)" : String.join(".", segments.subList(0, depth));
    }

    private static BsonDocument copy(BsonDocument document) {
        BsonDocument copy = new BsonDocument();
        copy.putAll(document);
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DocumentPath other && path.equals(other.path);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    @Override
    public String toString() {
        return path;
    }
}
