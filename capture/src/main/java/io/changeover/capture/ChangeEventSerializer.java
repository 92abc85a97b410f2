package io.changeover.capture;

import java.util.Map;

import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Serializes Debezium's heartbeat records for the heartbeat topic the way {@code docs/topics.md} specifies: Kafka Connect's
 * {@link JsonConverter} with schemas disabled, for key and value.
 */
final class ChangeEventSerializer implements AutoCloseable {
    private final JsonConverter keys = converter(true);
    private final JsonConverter values = converter(false);

    byte[] key(SourceRecord record) {
        return keys.fromConnectData(record.topic(), record.keySchema(), record.key());
    }

    byte[] value(SourceRecord record) {
        return values.fromConnectData(record.topic(), record.valueSchema(), record.value());
    }

    private static JsonConverter converter(boolean isKey) {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), isKey);
        return converter;
    }

    @Override
    public void close() {
        keys.close();
        values.close();
    }
}
