package io.changeover.transform.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.json.JsonParseException;

/**
 * A MongoDB query filter evaluated in memory, with MongoDB's semantics for the supported operators: {@code $eq $ne $in
 * $nin $exists $gt $gte $lt $lte $regex ($options) $not} on fields, {@code $and $or $nor} on documents, implicit
 * equality, dotted paths, arrays (a field matches when any element matches) and numbers compared by value across
 * int32, int64, double and decimal128. Immutable and thread-safe.
 */
public final class Filter {
    private final BsonDocument query;
    private final Predicate<BsonDocument> predicate;

    private Filter(BsonDocument query, Predicate<BsonDocument> predicate) {
        this.query = query;
        this.predicate = predicate;
    }

    /** Compiles a query; an unsupported operator or a malformed operand is an {@link IllegalArgumentException}. */
    public static Filter compile(BsonDocument query) {
        return new Filter(query.clone(), compileDocument(query));
    }

    /** Compiles a query written as (extended) JSON, e.g. {@code {"status": {"$in": ["done", "completed"]}}}. */
    public static Filter parse(String json) {
        try {
            return compile(BsonDocument.parse(json));
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("filter is not valid JSON: " + e.getMessage(), e);
        }
    }

    public boolean matches(BsonDocument document) {
        return predicate.test(document);
    }

    @Override
    public String toString() {
        return query.toJson();
    }

    static Predicate<BsonDocument> compileDocument(BsonDocument query) {
        List<Predicate<BsonDocument>> parts = new ArrayList<>();
        for (Map.Entry<String, BsonValue> e : query.entrySet()) {
            parts.add(e.getKey().startsWith("$")
                    ? compileLogical(e.getKey(), e.getValue())
                    : FieldCondition.compile(DocumentPath.parse(e.getKey()), e.getValue()));
        }
        return all(parts);
    }

    private static Predicate<BsonDocument> compileLogical(String operator, BsonValue operand) {
        if (!operator.equals("$and") && !operator.equals("$or") && !operator.equals("$nor")) {
            throw new IllegalArgumentException("unsupported top-level operator '" + operator
                    + "'; expected $and, $or, $nor or a field name");
        }
        if (!operand.isArray() || operand.asArray().isEmpty()) {
            throw new IllegalArgumentException(operator + " expects a non-empty list of filters");
        }
        List<Predicate<BsonDocument>> parts = new ArrayList<>();
        for (BsonValue element : operand.asArray()) {
            if (!element.isDocument()) {
                throw new IllegalArgumentException(operator + " expects filters (maps), got " + element);
            }
            parts.add(compileDocument(element.asDocument()));
        }
        return switch (operator) {
            case "$and" -> all(parts);
            case "$or" -> any(parts);
            default -> any(parts).negate();
        };
    }

    private static <T> Predicate<T> all(List<Predicate<T>> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return value -> {
            for (Predicate<T> p : parts) {
                if (!p.test(value)) {
                    return false;
                }
            }
            return true;
        };
    }

    private static <T> Predicate<T> any(List<Predicate<T>> parts) {
        return value -> {
            for (Predicate<T> p : parts) {
                if (p.test(value)) {
                    return true;
                }
            }
            return false;
        };
    }
}
