package io.changeover.transform.step;

import java.util.List;
import java.util.function.UnaryOperator;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import io.changeover.transform.query.DocumentPath;

/**
 * Rewrites the values a dotted path reaches, going through arrays: {@code items.sku} reaches the {@code sku} of every
 * element of {@code items}; when the value at the end of the path is an array, each element is rewritten. The
 * function returns the new value, or null to remove it (the field, or the array element). Copy-on-write: the input
 * is never changed. Missing fields are left missing.
 */
final class PathValues {
    private PathValues() {
    }

    /** Rewrites every value reached; {@code eachElement} false rewrites an array at the end of the path as a whole. */
    static BsonDocument rewrite(BsonDocument document, DocumentPath path, boolean eachElement,
                                UnaryOperator<BsonValue> function) {
        return (BsonDocument) rewrite(document, path.segments(), 0, eachElement, function);
    }

    private static BsonValue rewrite(BsonValue container, List<String> segments, int depth, boolean eachElement,
                                     UnaryOperator<BsonValue> function) {
        String segment = segments.get(depth);
        if (container.isArray() && DocumentPath.index(segment) < 0) {
            BsonArray copy = new BsonArray();
            for (BsonValue element : container.asArray()) {
                copy.add(element.isDocument() || element.isArray()
                        ? rewrite(element, segments, depth, eachElement, function) : element);
            }
            return copy;
        }
        BsonValue child = child(container, segment);
        if (child == null) {
            return container;
        }
        boolean last = depth == segments.size() - 1;
        BsonValue next = last ? leaf(child, eachElement, function) : rewrite(child, segments, depth + 1, eachElement, function);
        return replace(container, segment, next);
    }

    private static BsonValue leaf(BsonValue value, boolean eachElement, UnaryOperator<BsonValue> function) {
        if (!eachElement || !value.isArray()) {
            return function.apply(value);
        }
        BsonArray copy = new BsonArray();
        for (BsonValue element : value.asArray()) {
            BsonValue next = function.apply(element);
            if (next != null) {
                copy.add(next);
            }
        }
        return copy;
    }

    private static BsonValue child(BsonValue container, String segment) {
        if (container.isDocument()) {
            return container.asDocument().get(segment);
        }
        int index = DocumentPath.index(segment);
        return container.isArray() && index >= 0 && index < container.asArray().size() ? container.asArray().get(index) : null;
    }

    private static BsonValue replace(BsonValue container, String segment, BsonValue value) {
        if (container.isDocument()) {
            BsonDocument copy = new BsonDocument();
            copy.putAll(container.asDocument());
            if (value == null) {
                copy.remove(segment);
            } else {
                copy.put(segment, value);
            }
            return copy;
        }
        BsonArray copy = new BsonArray(container.asArray());
        int index = DocumentPath.index(segment);
        if (value == null) {
            copy.remove(index);
        } else {
            copy.set(index, value);
        }
        return copy;
    }
}
