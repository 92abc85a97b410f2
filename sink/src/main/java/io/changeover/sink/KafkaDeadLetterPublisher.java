package io.changeover.sink;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bson.ByteBuf;
import org.bson.RawBsonDocument;

import io.changeover.transform.format.DeadLetters;
import io.changeover.transform.format.OutputRecords;

/**
 * Writes refused records to the migration's dead-letter topic: the original key, value and position header, plus
 * the {@link DeadLetters} headers (stage {@code sink}, target collection, reason, spec checksum, where it was read).
 */
public final class KafkaDeadLetterPublisher implements DeadLetterPublisher {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final String specChecksum;
    private volatile Exception failure;

    public KafkaDeadLetterPublisher(Map<String, String> kafka, String topic, String specChecksum) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 64 * 1024 * 1024);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.producer = new KafkaProducer<>(props);
        this.topic = topic;
        this.specChecksum = specChecksum == null ? "" : specChecksum;
    }

    @Override
    public void publish(String collection, AppliedBatch.Rejected rejected) {
        OutputRecord record = rejected.record();
        byte[] value = bytes(record);
        ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(topic, OutputRecords.key(record.id()), value);
        OutputRecords.putPosition(letter.headers(), record.position());
        DeadLetters.put(letter.headers(), DeadLetters.STAGE, "sink");
        DeadLetters.put(letter.headers(), DeadLetters.COLLECTION, collection);
        DeadLetters.put(letter.headers(), DeadLetters.STEP, "target write");
        DeadLetters.put(letter.headers(), DeadLetters.REASON, rejected.reason());
        DeadLetters.put(letter.headers(), DeadLetters.SPEC_CHECKSUM, specChecksum);
        DeadLetters.put(letter.headers(), DeadLetters.SOURCE_TOPIC, record.topic());
        DeadLetters.put(letter.headers(), DeadLetters.SOURCE_PARTITION, Integer.toString(record.partition()));
        DeadLetters.put(letter.headers(), DeadLetters.SOURCE_OFFSET, Long.toString(record.offset()));
        producer.send(letter, (metadata, e) -> {
            if (e != null && failure == null) {
                failure = e;
            }
        });
    }

    private static byte[] bytes(OutputRecord record) {
        if (record.document() instanceof RawBsonDocument raw) {
            ByteBuf buffer = raw.getByteBuffer();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        }
        return OutputRecords.value(record.document());
    }

    @Override
    public void flush() {
        producer.flush();
        if (failure != null) {
            throw new IllegalStateException("cannot write to dead-letter topic '" + topic + "': "
                    + failure.getMessage(), failure);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
