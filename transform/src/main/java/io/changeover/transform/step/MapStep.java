package io.changeover.transform.step;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.bson.BsonArray;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.types.Decimal128;

import io.changeover.transform.query.BsonCompare;
import io.changeover.transform.query.BsonConversion;
import io.changeover.transform.query.DocumentPath;

/**
 * {@code map: {field: path, values: {old: new, ...}, default: value}}: replaces a field's value by table lookup.
 *
 * <p>Keys are written as YAML keys: a key matches a string value spelled the same, a number of any type with the same
 * value ({@code 1} matches 1, 1L, 1.0), a boolean written {@code true}/{@code false} and null written {@code null}.
 * Values not listed get {@code default} when one is given and are kept otherwise. A missing field stays missing; an
 * array field is mapped element by element. Example: {@code map: {field: status, values: {COMPLETED: completed}}}.
 */
public final class MapStep implements Step {
    private static final Set<String> ARGUMENTS = Set.of("field", "values", "default");
    private final DocumentPath field;
    private final Map<String, BsonValue> byString = new HashMap<>();
    private final List<Map.Entry<BsonValue, BsonValue>> byNumber = new ArrayList<>();
    private final Optional<BsonValue> fallback;

    private MapStep(DocumentPath field, Map<?, ?> values, Optional<BsonValue> fallback) {
        this.field = field;
        this.fallback = fallback;
        for (Map.Entry<?, ?> e : values.entrySet()) {
            String key = String.valueOf(e.getKey());
            BsonValue replacement = BsonConversion.toBson(e.getValue());
            byString.put(key, replacement);
            number(key).ifPresent(n -> byNumber.add(Map.entry(n, replacement)));
        }
    }

    static Step compile(Object arguments) {
        Map<String, Object> map = Arguments.map(arguments, "{field: <path>, values: {old: new, ...}, default: <value>}");
        Arguments.onlyKeys(map, ARGUMENTS, "map");
        DocumentPath field = DocumentPath.parse(Arguments.string(map.get("field"), "'field', the path of the field to map"));
        if (!(map.get("values") instanceof Map<?, ?> values) || values.isEmpty()) {
            throw new IllegalArgumentException("expected 'values', a non-empty map {old: new}, got "
                    + Arguments.describe(map.get("values")));
        }
        Optional<BsonValue> fallback = map.containsKey("default")
                ? Optional.of(BsonConversion.toBson(map.get("default"))) : Optional.empty();
        return new MapStep(field, values, fallback);
    }

    @Override
    public boolean mayChangeId() {
        return field.touchesId();
    }

    @Override
    public Optional<BsonDocument> apply(BsonDocument document) {
        Optional<BsonValue> value = field.get(document);
        if (value.isEmpty()) {
            return Optional.of(document);
        }
        return Optional.of(field.with(document, mapValue(value.get())));
    }

    private BsonValue mapValue(BsonValue value) {
        if (value.isArray()) {
            BsonArray mapped = new BsonArray();
            value.asArray().forEach(element -> mapped.add(mapOne(element)));
            return mapped;
        }
        return mapOne(value);
    }

    private BsonValue mapOne(BsonValue value) {
        BsonValue replacement = lookup(value);
        if (replacement != null) {
            return BsonConversion.copy(replacement);
        }
        return fallback.map(BsonConversion::copy).orElse(value);
    }

    private BsonValue lookup(BsonValue value) {
        if (value.isString()) {
            return byString.get(value.asString().getValue());
        }
        if (value.isBoolean()) {
            return byString.get(String.valueOf(value.asBoolean().getValue()));
        }
        if (value.isNull()) {
            return byString.get("null");
        }
        if (value.isNumber() || value.isDecimal128()) {
            for (Map.Entry<BsonValue, BsonValue> e : byNumber) {
                if (BsonCompare.equal(value, e.getKey())) {
                    return e.getValue();
                }
            }
        }
        return null;
    }

    private static Optional<BsonValue> number(String key) {
        try {
            return Optional.of(new BsonDecimal128(new Decimal128(new BigDecimal(key.strip()))));
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }
}
