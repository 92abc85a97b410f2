package io.changeover.capture;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One raw-topic record as a test reads it: the key's id, the op code and the full document after the change.
 *
 * @param partition  Kafka partition
 * @param offset     Kafka offset
 * @param keyId      the key's {@code id} field ({@code _id} as extended JSON)
 * @param op         Debezium op code
 * @param after      the parsed {@code after} document, or {@code null} for deletes
 * @param snapshot   Debezium's {@code source.snapshot}
 * @param value      the whole value as JSON
 */
record RawEvent(int partition, long offset, String keyId, String op, BsonDocument after, String snapshot,
        JsonNode value) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static RawEvent of(ConsumerRecord<byte[], byte[]> r) {
        try {
            JsonNode key = JSON.readTree(r.key());
            JsonNode value = JSON.readTree(r.value());
            JsonNode after = value.get("after");
            return new RawEvent(r.partition(), r.offset(), key.get("id").asText(), value.get("op").asText(),
                    after == null || after.isNull() ? null : BsonDocument.parse(after.asText()),
                    value.path("source").path("snapshot").asText(), value);
        } catch (java.io.IOException e) {
            throw new AssertionError("raw record is not JSON: " + new String(r.value(), StandardCharsets.UTF_8), e);
        }
    }

    /** The document id: from {@code after} when present, else parsed from the key. */
    BsonValue id() {
        if (after != null) {
            return after.get("_id");
        }
        return BsonDocument.parse("{\"_id\": " + keyId + "}").get("_id");
    }
}
