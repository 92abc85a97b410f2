package io.changeover.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.topics.Topics;
import io.changeover.embedded.mongo.MongoUnderTest;

/** Capture fails loudly when a change cannot be written to Kafka, instead of losing it or hanging. */
class CaptureFailureIT {
    @Test
    void aChangeThatCannotReachKafkaStopsCaptureWithAnErrorNamingTheTopic() throws Exception {
        String db = "fail_" + UUID.randomUUID().toString().substring(0, 8);
        EmbeddedKafka kafka = EmbeddedKafka.start();
        try (MongoUnderTest mongo = MongoUnderTest.start(); MongoClient client = MongoClients.create(mongo.uri())) {
            MigrationSpec spec = TestSpecs.spec("fa" + db.substring(5), mongo.uri(), db, kafka.bootstrapServers(),
                    Map.of("producer.delivery.timeout.ms", 3000, "producer.linger.ms", 0), "jobs");
            spec = new MigrationSpec(spec.name(), spec.source(), spec.target(),
                    Map.of("bootstrap.servers", kafka.bootstrapServers(), "request.timeout.ms", "2000",
                            "max.block.ms", "3000"),
                    spec.capture(), spec.transform(), spec.sink(), spec.collections(), spec.checksum(), spec.origin());
            try (ChangeStreamCapture capture = new ChangeStreamCapture(spec, CaptureConfig.from(spec))) {
                capture.start();
                ChangeStreamCaptureIT.awaitCondition(() -> capture.phase() == CapturePhase.STREAMING, "streaming");

                kafka.close();
                client.getDatabase(db).getCollection("jobs", BsonDocument.class)
                        .insertOne(ChangeStreamCaptureIT.typedDocument(1));

                assertThatThrownBy(() -> capture.termination().get(120, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(CaptureException.class);
                assertThat(capture.phase()).isEqualTo(CapturePhase.FAILED);
                assertThat(capture.failure()).isPresent();
                assertThat(capture.eventsCaptured()).as("nothing counted as captured").isZero();
                System.out.println("failure reported: " + capture.failure().get());
                Throwable root = capture.failure().get();
                StringBuilder chain = new StringBuilder();
                for (Throwable t = root; t != null; t = t.getCause()) {
                    chain.append(t.getMessage()).append(" | ");
                }
                assertThat(chain.toString()).contains(Topics.of(spec.name()).raw(db, "jobs"));
            }
        } finally {
            kafka.close();
        }
    }
}
