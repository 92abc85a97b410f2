package io.changeover.app.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

import io.changeover.demo.DemoSpec;
import io.changeover.control.lag.CapturePosition;
import io.changeover.control.lag.ConsumerGroupLag;
import io.changeover.control.lag.LagMonitor;
import io.changeover.control.lag.SourceClock;
import io.changeover.control.pipeline.Pipeline;
import io.changeover.control.pipeline.SpecVerification;
import io.changeover.demo.sample.LiveWriter;
import io.changeover.demo.sample.SampleDataset;
import io.changeover.control.status.DeadLetterCount;
import io.changeover.embedded.kafka.LocalKafkaCluster;
import io.changeover.embedded.mongo.EmbeddedMongo;
import io.changeover.transform.TransformTopology;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.topics.Topics;
import io.changeover.verify.CollectionReport;

/**
 * The pipeline on a real three-broker cluster (separate processes on loopback, replication 3, min.insync.replicas 2)
 * while the demo's writer writes: one broker is killed with SIGKILL and, later, started again on its data. Writes go
 * on with two in sync replicas, group and transaction coordinators move; the pipeline keeps applying changes, and at
 * the end lag is zero and the verifier finds the target equal to the spec applied to the source.
 */
class BrokerFaultIT {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerFaultIT.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    @TempDir
    Path work;

    @Test
    void thePipelineKeepsApplyingWhileOneBrokerOfThreeIsDeadAndConvergesAfterItsReturn() throws Exception {
        try (LocalKafkaCluster kafka = LocalKafkaCluster.start(work.resolve("kafka"), 3);
             EmbeddedMongo sourceServer = EmbeddedMongo.start(); EmbeddedMongo targetServer = EmbeddedMongo.start();
             MongoClient source = MongoClients.create(sourceServer.connectionString());
             MongoClient target = MongoClients.create(targetServer.connectionString())) {
            MigrationSpec spec = DemoSpec.load(sourceServer.connectionString(), targetServer.connectionString(),
                    kafka.bootstrapServers(), work);
            Topics topics = Topics.of(spec.name());
            MongoDatabase legacy = source.getDatabase(spec.source().database());
            SampleDataset dataset = new SampleDataset(13, 1_500);
            dataset.loadInto(legacy);
            List<String> outputs = TransformTopology.outputTopics(CompiledSpec.compile(spec));
            try (LiveWriter writer = new LiveWriter(legacy, dataset, 40, 13).start();
                 Pipeline pipeline = Pipeline.start(spec);
                 Admin admin = Admin.create(Map.copyOf(spec.kafka()))) {
                ConsumerGroupLag groups = new ConsumerGroupLag(admin);
                await("the first documents in the target", pipeline,
                        () -> target.getDatabase(spec.target().database()).getCollection("jobs").countDocuments() > 0);

                long killed = System.nanoTime();
                Map<TopicPartition, ConsumerGroupLag.Range> before = groups.backlog(topics.sinkGroupId(), outputs);
                kafka.kill(2);
                await("changes applied again with broker 2 dead", pipeline,
                        () -> committed(groups.backlog(topics.sinkGroupId(), outputs)) > committed(before) + 100);
                LOG.info("SIGKILL broker 2 of 3: 100 more changes applied {} s later",
                        String.format("%.1f", (System.nanoTime() - killed) / 1e9));

                long restarted = System.nanoTime();
                kafka.restart(2);
                LOG.info("broker 2 started again on its data: serving after {} s",
                        String.format("%.1f", (System.nanoTime() - restarted) / 1e9));

                writer.close();
                assertThat(writer.failure()).as("the writer").isEmpty();
                try (LagMonitor lag = new LagMonitor(spec, admin, SourceClock.of(source),
                        CapturePosition.of(spec, pipeline.capture()))) {
                    await("zero lag", pipeline, () -> lag.measure().zero());
                }
                List<CollectionReport> reports = SpecVerification.run(spec, source, target, false);
                LOG.info("verified: {}", reports);
                assertThat(SpecVerification.mismatches(reports)).as("differences: " + reports).isZero();
                assertThat(reports).allSatisfy(r -> assertThat(r.targetCount()).isEqualTo(r.expectedCount()));
                try (DeadLetterCount deadLetters = new DeadLetterCount(spec.kafka(), topics.deadLetter())) {
                    assertThat(deadLetters.count()).as("dead letters: " + deadLetters.latest()).isZero();
                }
            }
        }
    }

    private static long committed(Map<TopicPartition, ConsumerGroupLag.Range> ranges) {
        return ranges.values().stream().mapToLong(ConsumerGroupLag.Range::from).sum();
    }

    private static void await(String what, Pipeline pipeline, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(pipeline.failure()).as("pipeline failure while waiting for " + what).isEmpty();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(250);
        }
    }
}
