package io.changeover.control.lag;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.format.WaitingDocuments;
import io.changeover.transform.topics.Topics;

/**
 * The waiting-documents reader on a real broker, with the transactions the transform writes its counts in: the
 * latest committed count of each partition, whatever aborted transactions and commit markers follow it, and never a
 * count of a transaction still open.
 */
class WaitingDocumentsReaderIT {
    private static final Topics TOPICS = Topics.of("reader");

    @Test
    void theLatestCommittedCountOfEveryPartitionIsSummed() throws Exception {
        String topic = TOPICS.remapWaiting("nodes");
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            Map<String, String> client = Map.of("bootstrap.servers", kafka.bootstrapServers());
            WaitingDocumentsReader reader = new WaitingDocumentsReader(client, List.of(topic, TOPICS.remapWaiting("absent")));
            assertThat(reader.waiting()).as("no count yet, and a topic not created yet").isZero();

            try (KafkaProducer<byte[], byte[]> counts = producer(kafka.bootstrapServers(), "counts");
                 KafkaProducer<byte[], byte[]> open = producer(kafka.bootstrapServers(), "open")) {
                committed(counts, topic, 0, 3);
                for (int i = 0; i < 20; i++) {   // more aborted records and markers than the first tail holds
                    counts.beginTransaction();
                    counts.send(record(topic, 0, 99));
                    counts.flush();
                    counts.abortTransaction();
                }
                for (int waiting = 1; waiting <= 5; waiting++) {
                    committed(counts, topic, 1, waiting);
                }
                open.beginTransaction();   // a count not committed yet: its offsets are not committed either
                open.send(record(topic, 1, 42));
                open.send(record(topic, 2, 42));
                open.flush();

                assertThat(reader.waiting()).isEqualTo(3 + 5);
                assertThat(reader.byCollection()).as("per collection, with the oldest wait of its partitions")
                        .isEqualTo(Map.of("nodes", new Backlog(3 + 5, oldest(0, 3))));
                open.abortTransaction();
            } finally {
                reader.close();
            }
        }
    }

    private static void committed(KafkaProducer<byte[], byte[]> producer, String topic, int partition, long waiting) {
        producer.beginTransaction();
        producer.send(record(topic, partition, waiting));
        producer.commitTransaction();
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, int partition, long waiting) {
        WaitingDocuments count = new WaitingDocuments("nodes", partition, waiting, oldest(partition, waiting));
        return new ProducerRecord<>(topic, partition, count.key(), count.value());
    }

    /** A count's oldest wait: later for later counts and higher partitions. */
    private static SourcePosition oldest(int partition, long waiting) {
        return SourcePosition.of(1_000 + 10 * partition + (int) waiting, 0);
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap, String transactionalId) {
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId), new ByteArraySerializer(), new ByteArraySerializer());
        producer.initTransactions();
        return producer;
    }
}
