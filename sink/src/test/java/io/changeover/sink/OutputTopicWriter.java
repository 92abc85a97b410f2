package io.changeover.sink;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import io.changeover.transform.format.OutputRecords;
import io.changeover.transform.format.SourcePosition;

/** Writes records in the output-topic format, as the transform does, for integration tests. */
final class OutputTopicWriter implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private int increment;
    private volatile Exception sendFailure;

    OutputTopicWriter(String bootstrapServers) {
        this(bootstrapServers, 0);
    }

    /** A writer whose first record has position increment {@code firstIncrement + 1}. */
    OutputTopicWriter(String bootstrapServers, int firstIncrement) {
        this.increment = firstIncrement;
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // Partitions created a moment ago answer NOT_LEADER_OR_FOLLOWER for a while on the embedded broker; an
        // idempotent producer's retry then hung on OUT_OF_ORDER_SEQUENCE_NUMBER. A plain producer with one request
        // in flight retries without sequence numbers, in order (a refused request was not appended: no duplicate).
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producer = new KafkaProducer<>(props);
    }

    void upsert(String topic, BsonDocument document) {
        send(topic, document.get("_id"), OutputRecords.value(document));
    }

    void delete(String topic, BsonValue id) {
        send(topic, id, null);
    }

    private void send(String topic, BsonValue id, byte[] value) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, OutputRecords.key(id), value);
        OutputRecords.putPosition(record.headers(), SourcePosition.of(1_763_718_000, ++increment));
        producer.send(record, (metadata, e) -> {
            if (e != null && sendFailure == null) {
                sendFailure = e;
            }
        });
    }

    /** Waits until everything sent is acknowledged by the broker; fails if any record was not. */
    void flush() {
        producer.flush();
        if (sendFailure != null) {
            throw new IllegalStateException("a test record was not written to Kafka", sendFailure);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
