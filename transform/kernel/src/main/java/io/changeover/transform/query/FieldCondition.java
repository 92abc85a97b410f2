package io.changeover.transform.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.bson.BsonDocument;
import org.bson.BsonValue;

/** Compiles the condition on one field of a filter ({@code {"a.b": {"$gt": 3}}} or {@code {"a": 3}}). */
final class FieldCondition {
    private FieldCondition() {
    }

    static Predicate<BsonDocument> compile(DocumentPath path, BsonValue condition) {
        Predicate<QueryValues> test;
        try {
            test = isOperatorExpression(condition) ? operators(condition.asDocument()) : equalTo(condition);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("filter on '" + path + "': " + e.getMessage(), e);
        }
        return document -> test.test(QueryValues.resolve(document, path));
    }

    private static boolean isOperatorExpression(BsonValue condition) {
        return condition.isDocument() && !condition.asDocument().isEmpty()
                && condition.asDocument().getFirstKey().startsWith("$");
    }

    private static Predicate<QueryValues> operators(BsonDocument expression) {
        List<Predicate<QueryValues>> parts = new ArrayList<>();
        for (Map.Entry<String, BsonValue> e : expression.entrySet()) {
            if (e.getKey().equals("$options")) {
                if (!expression.containsKey("$regex")) {
                    throw new IllegalArgumentException("$options needs $regex");
                }
                continue;
            }
            parts.add(operator(e.getKey(), e.getValue(), expression));
        }
        return values -> {
            for (Predicate<QueryValues> p : parts) {
                if (!p.test(values)) {
                    return false;
                }
            }
            return true;
        };
    }

    private static Predicate<QueryValues> operator(String name, BsonValue operand, BsonDocument expression) {
        return switch (name) {
            case "$eq" -> equalTo(operand);
            case "$ne" -> equalTo(operand).negate();
            case "$in" -> in(operand);
            case "$nin" -> in(operand).negate();
            case "$exists" -> exists(operand);
            case "$gt" -> range(operand, c -> c > 0);
            case "$gte" -> range(operand, c -> c >= 0);
            case "$lt" -> range(operand, c -> c < 0);
            case "$lte" -> range(operand, c -> c <= 0);
            case "$regex" -> regex(operand, expression.get("$options"));
            case "$not" -> not(operand);
            default -> throw new IllegalArgumentException("unsupported operator '" + name
                    + "'; expected one of $eq $ne $in $nin $exists $gt $gte $lt $lte $regex $options $not");
        };
    }

    private static Predicate<QueryValues> equalTo(BsonValue operand) {
        if (operand.isNull()) {
            return values -> values.anyMissing() || values.candidates().stream().anyMatch(BsonValue::isNull);
        }
        if (operand.isRegularExpression()) {
            return matchesPattern(compilePattern(operand.asRegularExpression().getPattern(),
                    operand.asRegularExpression().getOptions()));
        }
        return values -> values.candidates().stream().anyMatch(v -> BsonCompare.equal(v, operand));
    }

    private static Predicate<QueryValues> in(BsonValue operand) {
        if (!operand.isArray()) {
            throw new IllegalArgumentException("$in and $nin expect a list, got " + operand);
        }
        List<Predicate<QueryValues>> alternatives = new ArrayList<>();
        operand.asArray().forEach(v -> alternatives.add(equalTo(v)));
        return values -> alternatives.stream().anyMatch(p -> p.test(values));
    }

    private static Predicate<QueryValues> exists(BsonValue operand) {
        boolean wanted = operand.isBoolean() ? operand.asBoolean().getValue()
                : operand.isNumber() ? operand.asNumber().doubleValue() != 0 : !operand.isNull();
        return values -> values.anyPresent() == wanted;
    }

    private static Predicate<QueryValues> range(BsonValue operand, IntPredicate accept) {
        if (operand.isNull()) {
            boolean inclusive = accept.test(0);
            return values -> inclusive && equalTo(operand).test(values);
        }
        return values -> values.candidates().stream()
                .anyMatch(v -> BsonCompare.comparable(v, operand) && accept.test(BsonCompare.compare(v, operand)));
    }

    private static Predicate<QueryValues> regex(BsonValue operand, BsonValue options) {
        String flags = options == null ? "" : stringOperand("$options", options);
        if (operand.isRegularExpression()) {
            String own = operand.asRegularExpression().getOptions();
            return matchesPattern(compilePattern(operand.asRegularExpression().getPattern(), own + flags));
        }
        return matchesPattern(compilePattern(stringOperand("$regex", operand), flags));
    }

    private static Predicate<QueryValues> not(BsonValue operand) {
        if (operand.isRegularExpression()) {
            return equalTo(operand).negate();
        }
        if (!isOperatorExpression(operand)) {
            throw new IllegalArgumentException("$not expects an operator expression such as {$gt: 3}, got " + operand);
        }
        return operators(operand.asDocument()).negate();
    }

    private static Predicate<QueryValues> matchesPattern(Pattern pattern) {
        return values -> values.candidates().stream()
                .anyMatch(v -> v.isString() && pattern.matcher(v.asString().getValue()).find());
    }

    private static Pattern compilePattern(String regex, String options) {
        int flags = 0;
        for (char c : options.toCharArray()) {
            flags |= switch (c) {
                case 'i' -> Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
                case 'm' -> Pattern.MULTILINE;
                case 's' -> Pattern.DOTALL;
                case 'x' -> Pattern.COMMENTS;
                default -> throw new IllegalArgumentException("unsupported regex option '" + c + "'; expected i, m, s, x");
            };
        }
        try {
            return Pattern.compile(regex, flags);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regular expression '" + regex + "': " + e.getDescription(), e);
        }
    }

    private static String stringOperand(String operator, BsonValue operand) {
        if (!operand.isString()) {
            throw new IllegalArgumentException(operator + " expects a string, got " + operand);
        }
        return operand.asString().getValue();
    }
}
