package io.changeover.control.lag;

import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The one Kafka consumer lag reads records with: {@code read_committed}, in no group (partitions are assigned and
 * sought), made on first use and kept open between measurements. Not thread-safe: one measurement at a time.
 */
final class LagConsumer implements AutoCloseable {
    private final Map<String, String> kafka;
    private KafkaConsumer<byte[], byte[]> consumer;

    LagConsumer(Map<String, String> kafka) {
        this.kafka = Map.copyOf(kafka);
    }

    KafkaConsumer<byte[], byte[]> get() {
        if (consumer == null) {
            Properties props = new Properties();
            props.putAll(kafka);
            props.remove(ConsumerConfig.GROUP_ID_CONFIG);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            // an offset compacted or deleted away reads on from the next record there is
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            // a read that reaches the end waits this long for more records (500 ms by default)
            props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
            // only the first record of a partition is wanted (a larger one still comes whole)
            props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(64 * 1024));
            consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        return consumer;
    }

    @Override
    public void close() {
        if (consumer != null) {
            consumer.close();
            consumer = null;
        }
    }
}
