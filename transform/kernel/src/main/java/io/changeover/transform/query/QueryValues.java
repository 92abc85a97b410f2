package io.changeover.transform.query;

import java.util.ArrayList;
import java.util.List;

import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * The values a dotted path reaches in a document under MongoDB query semantics: a path goes through arrays of
 * documents (each element is tried), a numeric segment also indexes the array, and a missing field is recorded as a
 * Java {@code null} so {@code $exists} and equality with null can tell missing from present.
 */
final class QueryValues {
    private final List<BsonValue> reached;

    private QueryValues(List<BsonValue> reached) {
        this.reached = reached;
    }

    static QueryValues resolve(BsonDocument document, DocumentPath path) {
        List<BsonValue> reached = new ArrayList<>(2);
        walk(document, path.segments(), 0, reached);
        return new QueryValues(reached);
    }

    private static void walk(BsonValue current, List<String> segments, int depth, List<BsonValue> out) {
        if (depth == segments.size()) {
            out.add(current);
            return;
        }
        String segment = segments.get(depth);
        if (current.isDocument()) {
            BsonValue child = current.asDocument().get(segment);
            if (child == null) {
                out.add(null);
            } else {
                walk(child, segments, depth + 1, out);
            }
        } else if (current.isArray()) {
            int index = DocumentPath.index(segment);
            if (index >= 0 && index < current.asArray().size()) {
                walk(current.asArray().get(index), segments, depth + 1, out);
            }
            for (BsonValue element : current.asArray()) {
                if (element.isDocument()) {
                    walk(element, segments, depth, out);
                }
            }
        } else {
            out.add(null);
        }
    }

    /** True when some branch reached a value (null counts as a value). */
    boolean anyPresent() {
        for (BsonValue v : reached) {
            if (v != null) {
                return true;
            }
        }
        return false;
    }

    /** True when the path is missing on some branch (or on all of them). */
    boolean anyMissing() {
        return reached.isEmpty() || reached.contains(null);
    }

    /** The values to test: each value reached and, for an array, each of its elements (as MongoDB does). */
    List<BsonValue> candidates() {
        List<BsonValue> candidates = new ArrayList<>(reached.size());
        for (BsonValue v : reached) {
            if (v != null) {
                candidates.add(v);
                if (v.isArray()) {
                    candidates.addAll(v.asArray());
                }
            }
        }
        return candidates;
    }
}
