package io.changeover.sink;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.changeover.transform.topics.Topics;

/**
 * Kafka consumer properties of the sink: the spec's shared {@code kafka:} settings, then the settings the sink's
 * guarantees depend on, which always win: its own group, committed reads only, manual commits after acknowledged
 * writes, and reading a new group's topics from the beginning.
 */
public final class SinkConsumerSettings {
    private SinkConsumerSettings() {
    }

    public static Map<String, Object> of(Map<String, String> kafka, SinkConfig config, Topics topics) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, topics.sinkGroupId());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, topics.sinkGroupId());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return props;
    }
}
