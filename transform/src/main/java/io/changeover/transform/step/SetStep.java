package io.changeover.transform.step;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import io.changeover.transform.query.BsonConversion;
import io.changeover.transform.query.DocumentPath;

/**
 * {@code set: {path: value, ...}}: sets fields to constant values (YAML scalars, maps and lists, converted to BSON by
 * {@link BsonConversion}), creating missing parent documents. Example: {@code set: {schema_version: 2, "meta.migrated": true}}.
 */
public final class SetStep implements Step {
    private final Map<DocumentPath, BsonValue> values;

    private SetStep(Map<DocumentPath, BsonValue> values) {
        this.values = values;
    }

    static Step compile(Object arguments) {
        Map<String, Object> map = Arguments.map(arguments, "a map of field paths to values {path: value}");
        Map<DocumentPath, BsonValue> values = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : map.entrySet()) {
            values.put(DocumentPath.parse(e.getKey()), BsonConversion.toBson(e.getValue()));
        }
        return new SetStep(values);
    }

    @Override
    public boolean mayChangeId() {
        return values.keySet().stream().anyMatch(DocumentPath::touchesId);
    }

    @Override
    public Optional<BsonDocument> apply(BsonDocument document) {
        BsonDocument current = document;
        for (Map.Entry<DocumentPath, BsonValue> e : values.entrySet()) {
            current = e.getKey().with(current, BsonConversion.copy(e.getValue()));
        }
        return Optional.of(current);
    }
}
