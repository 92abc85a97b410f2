package io.changeover.transform;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.changeover.transform.format.RawPartitioner;

/** Kafka clients the broker ITs write raw records and read outputs with. */
public final class TestClients {
    private TestClients() {
    }

    /** A producer that partitions raw records by identity, as capture does (an explicit partition wins). */
    public static KafkaProducer<byte[], byte[]> rawProducer(String bootstrapServers) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.PARTITIONER_CLASS_CONFIG, RawPartitioner.class.getName()),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A consumer of committed records only, in a fresh group, from the beginning of {@code topics}. */
    public static KafkaConsumer<byte[], byte[]> committedConsumer(String bootstrapServers, String... topics) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topics));
        return consumer;
    }
}
