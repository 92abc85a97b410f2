package io.changeover.transform.step;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.bson.BsonDocument;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;

/**
 * {@code validate: {schema: <JSON Schema as YAML>}}: a document that does not satisfy the schema is a data error (the
 * record goes to the dead-letter topic with every violation in the reason); a valid one passes unchanged. The document
 * is checked as relaxed extended JSON: int32/int64/double are JSON numbers, an ObjectId is {@code {"$oid": ...}}, a
 * date {@code {"$date": "<ISO-8601>"}}, a decimal {@code {"$numberDecimal": "..."}}. Draft 2020-12 unless the schema
 * names another in {@code $schema}. The schema must not load anything ({@code $ref} to other documents is refused).
 */
public final class ValidateStep implements Step {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REASONS = 10;
    private final JsonSchema schema;

    private ValidateStep(JsonSchema schema) {
        this.schema = schema;
    }

    static Step compile(Object arguments) {
        Map<String, Object> map = Arguments.map(arguments, "{schema: <a JSON Schema>}");
        Arguments.onlyKeys(map, Set.of("schema"), "validate");
        if (!(map.get("schema") instanceof Map<?, ?> schema) || schema.isEmpty()) {
            throw new IllegalArgumentException("expected 'schema', a JSON Schema written as a YAML map, got "
                    + Arguments.describe(map.get("schema")));
        }
        JsonNode node = JSON.valueToTree(schema);
        if (node.toString().contains("\"$ref\":\"http") || node.toString().contains("\"$ref\":\"file")) {
            throw new IllegalArgumentException("the schema refers to another document ($ref); only local references"
                    + " (#/...) are allowed: a step does no I/O");
        }
        SpecVersion.VersionFlag version = SpecVersionDetector.detectOptionalVersion(node, false)
                .orElse(SpecVersion.VersionFlag.V202012);
        try {
            return new ValidateStep(JsonSchemaFactory.getInstance(version).getSchema(node));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a valid JSON Schema: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean mayChangeId() {
        return false;
    }

    @Override
    public Optional<BsonDocument> apply(BsonDocument document) {
        Set<ValidationMessage> errors = schema.validate(RelaxedJsonTree.of(document));
        if (errors.isEmpty()) {
            return Optional.of(document);
        }
        Set<String> reasons = new TreeSet<>();
        errors.forEach(m -> reasons.add(m.getMessage()));
        String shown = String.join("; ", reasons.stream().limit(MAX_REASONS).toList());
        throw new IllegalArgumentException("does not match the schema: " + shown
                + (reasons.size() > MAX_REASONS ? "; and " + (reasons.size() - MAX_REASONS) + " more" : ""));
    }
}
