package io.changeover.sink;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

import io.changeover.transform.topics.TopicProvisioner;

/**
 * Makes sure the output topics exist and every partition is served by its leader before the sink reads them
 * ({@link TopicProvisioner#ensure}).
 */
final class OutputTopics {
    private OutputTopics() {
    }

    static void ensure(Map<String, String> kafka, SinkConfig config, Collection<String> names) {
        ensure(kafka, config, names, null);
    }

    /**
     * Also makes sure the dead-letter topic exists (retained forever, as the transform creates it), when
     * {@code deadLetterTopic} is not null.
     */
    static void ensure(Map<String, String> kafka, SinkConfig config, Collection<String> names, String deadLetterTopic) {
        try (Admin admin = Admin.create(Map.<String, Object>copyOf(kafka))) {
            TopicProvisioner provisioner = new TopicProvisioner(admin, config.topicReplicationFactor());
            List<NewTopic> wanted = new ArrayList<>();
            names.forEach(name -> wanted.add(provisioner.compacted(name, config.outputTopicPartitions())));
            if (deadLetterTopic != null) {
                wanted.add(provisioner.retained(deadLetterTopic, config.outputTopicPartitions()));
            }
            provisioner.ensure(wanted);
        }
    }
}
