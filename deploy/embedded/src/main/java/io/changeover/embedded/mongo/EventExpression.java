package io.changeover.embedded.mongo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;

/**
 * Aggregation expressions on change events, evaluated as MongoDB evaluates them, for the ones a capture's size
 * guard uses: field paths ({@code "$fullDocument"}), {@code $bsonSize}, {@code $cond}, the comparisons
 * {@code $eq $ne $gt $gte $lt $lte}, {@code $literal}, {@code $concat}, {@code $$REMOVE}, {@code $$ROOT}, object
 * literals and constants. mongo-java-server has no {@code $bsonSize}, and evaluates a document result's fields a second time (a
 * string {@code "$x"} inside a document would be read as a path). {@link #supports} tells whether an expression is
 * made only of these.
 */
final class EventExpression {

    private static final Set<String> OPERATORS = Set.of("$bsonSize", "$cond", "$literal", "$concat",
        "$eq", "$ne", "$gt", "$gte", "$lt", "$lte");
    private static final Set<String> VARIABLES = Set.of("$$REMOVE", "$$ROOT", "$$CURRENT");

    private EventExpression() {
    }

    /** Whether every operator in {@code expression} is one this class evaluates. */
    static boolean supports(Object expression) {
        if (expression instanceof Document document) {
            String operator = operatorOf(document);
            if (operator == null) {
                return document.values().stream().allMatch(EventExpression::supports);
            }
            return OPERATORS.contains(operator)
                && ("$literal".equals(operator) || supportsArguments(document.get(operator)));
        }
        if (expression instanceof String text && text.startsWith("$$")) {
            return VARIABLES.contains(text);   // others ($$NOW...) are left to mongo-java-server
        }
        return !(expression instanceof List<?> list) || list.stream().allMatch(EventExpression::supports);
    }

    /**
     * A document of the event whose BSON size is known without encoding it (the stored size of its
     * {@code fullDocument}): {@code $bsonSize} of that very instance answers from it.
     */
    record KnownSize(Object document, int bytes) {
        boolean knows(Object value) {
            return bytes >= 0 && value == document;
        }
    }

    /**
     * The value of {@code expression} on {@code event}; {@link Missing} for a path that is not there. {@code known}
     * gives the size of one document without encoding it.
     */
    static Object evaluate(Object expression, Document event, KnownSize known) {
        if (expression instanceof String text && text.startsWith("$")) {
            return text.startsWith("$$") ? variable(text, event) : Utils.getSubdocumentValue(event, text.substring(1));
        }
        if (expression instanceof Document document) {
            String operator = operatorOf(document);
            return operator == null ? object(document, event, known)
                : apply(operator, document.get(operator), event, known);
        }
        if (expression instanceof List<?> list) {
            List<Object> values = new ArrayList<>(list.size());
            list.forEach(item -> values.add(valueOrNull(evaluate(item, event, known))));
            return values;
        }
        return expression;
    }

    private static Object apply(String operator, Object arguments, Document event, KnownSize known) {
        return switch (operator) {
            case "$literal" -> arguments;
            case "$bsonSize" -> bsonSize(evaluate(single(arguments), event, known), known);
            case "$cond" -> condition(arguments, event, known);
            case "$concat" -> concat(arguments, event, known);
            default -> compare(operator, arguments, event, known);
        };
    }

    private static Object bsonSize(Object value, KnownSize known) {
        if (value instanceof Missing || value == null) {
            return null;
        }
        if (known.knows(value)) {
            return known.bytes();
        }
        if (!(value instanceof Document document)) {
            throw new de.bwaldvogel.mongo.exception.MongoServerError(31393,
                "$bsonSize requires a document input, found: " + Utils.describeType(value));
        }
        return BsonBytes.encode(document).length;
    }

    private static Object condition(Object arguments, Document event, KnownSize known) {
        Object test;
        Object then;
        Object otherwise;
        if (arguments instanceof Document named) {
            test = named.get("if");
            then = named.get("then");
            otherwise = named.get("else");
        } else {
            List<?> list = (List<?>) arguments;
            test = list.get(0);
            then = list.get(1);
            otherwise = list.get(2);
        }
        return Utils.isTrue(valueOrNull(evaluate(test, event, known))) ? evaluate(then, event, known)
            : evaluate(otherwise, event, known);
    }

    private static Object compare(String operator, Object arguments, Document event, KnownSize known) {
        List<?> operands = (List<?>) arguments;
        int order = ValueComparator.ascWithoutListHandling().compare(
            valueOrNull(evaluate(operands.get(0), event, known)), valueOrNull(evaluate(operands.get(1), event, known)));
        return switch (operator) {
            case "$eq" -> order == 0;
            case "$ne" -> order != 0;
            case "$gt" -> order > 0;
            case "$gte" -> order >= 0;
            case "$lt" -> order < 0;
            default -> order <= 0;
        };
    }

    private static Document object(Document literal, Document event, KnownSize known) {
        Document result = new Document();
        for (Map.Entry<String, Object> field : literal.entrySet()) {
            Object value = evaluate(field.getValue(), event, known);
            if (!(value instanceof Missing)) {
                result.put(field.getKey(), value);
            }
        }
        return result;
    }

    /** Strings joined; null when any part is null or missing, as MongoDB's {@code $concat}. */
    private static Object concat(Object arguments, Document event, KnownSize known) {
        StringBuilder joined = new StringBuilder();
        for (Object part : arguments instanceof List<?> list ? list : List.of(arguments)) {
            Object value = valueOrNull(evaluate(part, event, known));
            if (value == null) {
                return null;
            }
            if (!(value instanceof String text)) {
                throw new de.bwaldvogel.mongo.exception.MongoServerError(16702,
                    "$concat only supports strings, not " + Utils.describeType(value));
            }
            joined.append(text);
        }
        return joined.toString();
    }

    private static Object variable(String name, Document event) {
        if ("$$REMOVE".equals(name)) {
            return Missing.getInstance();
        }
        if ("$$ROOT".equals(name) || "$$CURRENT".equals(name)) {
            return event;
        }
        throw new de.bwaldvogel.mongo.exception.MongoServerError(17276, "Use of undefined variable: "
            + name.substring(2));
    }

    private static boolean supportsArguments(Object arguments) {
        if (arguments instanceof Document named && (named.containsKey("if") || named.containsKey("then"))) {
            return named.values().stream().allMatch(EventExpression::supports);
        }
        return supports(arguments);
    }

    private static Object single(Object arguments) {
        return arguments instanceof List<?> list && list.size() == 1 ? list.get(0) : arguments;
    }

    private static Object valueOrNull(Object value) {
        return value instanceof Missing ? null : value;
    }

    private static String operatorOf(Document document) {
        if (document.size() == 1) {
            String key = document.keySet().iterator().next();
            return key.startsWith("$") ? key : null;
        }
        return null;
    }
}
