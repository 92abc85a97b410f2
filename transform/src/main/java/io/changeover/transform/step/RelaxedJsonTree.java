package io.changeover.transform.step;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A BSON value as the JSON tree that parsing its relaxed extended JSON text gives ({@code JSON.readTree(
 * document.toJson(RELAXED))}), built directly: no text is written or parsed. Numbers become the node Jackson's parser
 * would make (an int64 that fits in 32 bits an int node, a finite double a double node), so schema keywords that
 * compare nodes ({@code const}, {@code enum}) behave exactly as on the parsed text. Types without a plain JSON form
 * that documents rarely hold (decimal, timestamp, regular expression, ...) go through the text, for exactly
 * the same result.
 */
final class RelaxedJsonTree {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonWriterSettings RELAXED = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();
    /** The relaxed form writes dates in this range as ISO-8601 text, others as {@code $numberLong}. */
    private static final long LAST_ISO_DATE = 253_402_300_799_999L;

    private RelaxedJsonTree() {
    }

    static ObjectNode of(BsonDocument document) {
        ObjectNode node = NODES.objectNode();
        for (Map.Entry<String, BsonValue> field : document.entrySet()) {
            node.set(field.getKey(), value(field.getValue()));
        }
        return node;
    }

    private static JsonNode value(BsonValue value) {
        return switch (value.getBsonType()) {
            case DOCUMENT -> of(value.asDocument());
            case ARRAY -> array(value.asArray());
            case STRING -> NODES.textNode(value.asString().getValue());
            case INT32 -> NODES.numberNode(value.asInt32().getValue());
            case INT64 -> int64(value.asInt64().getValue());
            case DOUBLE -> doubleValue(value);
            case BOOLEAN -> NODES.booleanNode(value.asBoolean().getValue());
            case NULL -> NODES.nullNode();
            case OBJECT_ID -> NODES.objectNode().put("$oid", value.asObjectId().getValue().toHexString());
            case DATE_TIME -> date(value.asDateTime().getValue());
            case BINARY -> binary(value.asBinary());
            default -> throughText(value);
        };
    }

    private static ArrayNode array(BsonArray array) {
        ArrayNode node = NODES.arrayNode(array.size());
        for (BsonValue element : array) {
            node.add(value(element));
        }
        return node;
    }

    private static JsonNode int64(long value) {
        return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
    }

    private static JsonNode doubleValue(BsonValue value) {
        double d = value.asDouble().getValue();
        return Double.isFinite(d) ? NODES.numberNode(d) : throughText(value);
    }

    private static JsonNode date(long millis) {
        if (millis < 0 || millis > LAST_ISO_DATE) {
            return throughText(new org.bson.BsonDateTime(millis));
        }
        String iso = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC));
        return NODES.objectNode().put("$date", iso);
    }

    /** {@code {"$binary": {"base64": ..., "subType": "<two hex digits>"}}}, as the relaxed writer puts it. */
    private static JsonNode binary(BsonBinary binary) {
        ObjectNode body = NODES.objectNode()
                .put("base64", Base64.getEncoder().encodeToString(binary.getData()))
                .put("subType", String.format("%02X", binary.getType() & 0xff));
        ObjectNode node = NODES.objectNode();
        node.set("$binary", body);
        return node;
    }

    private static JsonNode throughText(BsonValue value) {
        try {
            return JSON.readTree(new BsonDocument("v", value).toJson(RELAXED)).get("v");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot read a " + value.getBsonType() + " value as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }
}
