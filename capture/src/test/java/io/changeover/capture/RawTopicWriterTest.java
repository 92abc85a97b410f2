package io.changeover.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.source.SourceRecord;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoCommandException;
import com.mongodb.ServerAddress;

import io.changeover.transform.format.DeadLetters;
import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.format.RawRecord;
import io.changeover.transform.format.RawRecords;
import io.changeover.transform.topics.Topics;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;

class RawTopicWriterTest {
    private static final Duration TICK_INTERVAL = Duration.ofMillis(200);
    private final Topics topics = Topics.of("m");
    private final SourceCollection jobs = new SourceCollection("legacy", "jobs");
    private final CaptureProgress progress = new CaptureProgress(List.of(jobs));
    private final RecordingCommitter committer = new RecordingCommitter();
    private final AtomicLong nanos = new AtomicLong();

    /** The source's documents, for changes whose document was too large for its event. */
    private final Map<BsonValue, BsonDocument> source = new HashMap<>();

    private RawTopicWriter writer(MockProducer<byte[], byte[]> producer) {
        return writer(producer, new LargeDocumentFetchStrategy((collection, id) -> Optional.ofNullable(source.get(id))));
    }

    private RawTopicWriter writer(MockProducer<byte[], byte[]> producer, LargeDocumentStrategy largeDocuments) {
        return new RawTopicWriter(producer, new RecordRouter(topics, List.of(jobs)), new ChangeEventSerializer(),
                progress, TICK_INTERVAL, nanos::get, largeDocuments, topics.deadLetter());
    }

    @Test
    void aChangeWhoseDocumentWasTooLargeForItsEventCarriesTheDocumentReadFromTheSource() throws Exception {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(twoPartitions(), true, null,
                new ByteArraySerializer(), new ByteArraySerializer());
        BsonDocument large = BsonDocument.parse("{_id: 7, blob: 'x'}");
        source.put(new BsonInt32(7), large);

        writer(producer).handleBatch(List.of(
                event(TestRecords.change("legacy", "jobs", "u", "false", 100, 1, stub(7, 20_000_000))),
                event(TestRecords.change("legacy", "jobs", "c", "false", 100, 2, stub(8, 20_000_000)))), committer);

        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertThat(sent).extracting(ProducerRecord::topic).containsOnly(topics.raw("legacy", "jobs"));
        assertThat(RawRecords.read(sent.get(0).key(), sent.get(0).value())).isEqualTo(new RawRecord.Change("jobs",
                new BsonInt32(7), RawRecord.Operation.UPDATE, large, SourcePosition.of(100, 1), false));
        assertThat(RawRecords.read(sent.get(1).key(), sent.get(1).value()))
                .as("a document deleted before it was read: a vanished update, its delete follows")
                .isEqualTo(new RawRecord.Change("jobs", new BsonInt32(8), RawRecord.Operation.UPDATE, null,
                        SourcePosition.of(100, 2), false));
    }

    @Test
    void underTheDeadLetterPolicyALargeDocumentsChangeGoesToTheDeadLetterTopicWithItsIdAndSize() throws Exception {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(twoPartitions(), true, null,
                new ByteArraySerializer(), new ByteArraySerializer());

        writer(producer, new LargeDocumentDeadLetterStrategy()).handleBatch(List.of(
                event(TestRecords.change("legacy", "jobs", "u", "false", 100, 1, stub(7, 20_000_000))),
                event(TestRecords.change("legacy", "jobs", "c", "false", 100, 2, "{\"_id\": 9}"))), committer);

        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertThat(sent).extracting(ProducerRecord::topic).containsExactly(topics.deadLetter(),
                topics.raw("legacy", "jobs"));
        assertThat(RawRecords.id(sent.get(0).key())).isEqualTo(new BsonInt32(7));
        assertThat(DeadLetters.get(sent.get(0).headers(), DeadLetters.STAGE)).isEqualTo("capture");
        assertThat(DeadLetters.get(sent.get(0).headers(), DeadLetters.REASON)).contains("7", "20000000 bytes", "jobs");
        assertThat(committer.calls).as("the capture goes on").endsWith("batchFinished");
    }

    @Test
    void aDocumentTheSourceRefusesToReturnIsDeadLetteredWithTheServersReason() throws Exception {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(twoPartitions(), true, null,
                new ByteArraySerializer(), new ByteArraySerializer());
        LargeDocumentStrategy refusing = new LargeDocumentFetchStrategy((collection, id) -> {
            throw new MongoCommandException(new BsonDocument("ok", new BsonInt32(0))
                    .append("code", new BsonInt32(13)).append("errmsg", new BsonString("not authorized on legacy")),
                    new ServerAddress());
        });

        writer(producer, refusing).handleBatch(List.of(
                event(TestRecords.change("legacy", "jobs", "u", "false", 100, 1, stub(7, 20_000_000)))), committer);

        ProducerRecord<byte[], byte[]> deadLetter = producer.history().get(0);
        assertThat(deadLetter.topic()).isEqualTo(topics.deadLetter());
        assertThat(DeadLetters.get(deadLetter.headers(), DeadLetters.REASON)).contains("not authorized on legacy");
    }

    @Test
    void documentsWithDollarPrefixedAndDottedNamesReachTheRawTopicExactly() throws Exception {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(twoPartitions(), true, null,
                new ByteArraySerializer(), new ByteArraySerializer());
        BsonDocument named = new BsonDocument("_id", new BsonInt32(1)).append("$price", new BsonInt32(5))
                .append("a.b", new BsonString("$notAPath")).append("n", new BsonDocument("$inner", new BsonInt32(2)));

        writer(producer).handleBatch(List.of(event(TestRecords.change("legacy", "jobs", "c", "false", 100, 1,
                named.toJson(org.bson.json.JsonWriterSettings.builder()
                        .outputMode(org.bson.json.JsonMode.STRICT).build())))), committer);

        ProducerRecord<byte[], byte[]> sent = producer.history().get(0);
        assertThat(((RawRecord.Change) RawRecords.read(sent.key(), sent.value())).after()).isEqualTo(named);
    }

    private static String stub(int id, int size) {
        return "{\"_id\": " + id + ", \"" + LargeDocuments.SIZE_FIELD + "\": " + size + "}";
    }

    @Test
    void writesTheRawFormatAndCommitsOnlyAfterKafkaAcknowledged() throws Exception {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(twoPartitions(), false, null, new ByteArraySerializer(),
                new ByteArraySerializer()) {
            @Override
            public synchronized void flush() {
                assertThat(committer.calls).as("nothing marked processed before acks").isEmpty();
                super.flush();
            }
        };
        List<RecordChangeEvent<SourceRecord>> batch = List.of(
                event(TestRecords.change("legacy", "jobs", "c", "false", 100, 1, "{\"_id\": 1}")),
                event(TestRecords.heartbeat(100, 2)));

        writer(producer).handleBatch(batch, committer);

        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertThat(sent.subList(0, 2)).extracting(ProducerRecord::topic).containsExactly(topics.raw("legacy", "jobs"), topics.heartbeat());
        assertThat(RawRecords.read(sent.get(0).key(), sent.get(0).value())).isEqualTo(new RawRecord.Change("jobs",
                new BsonInt32(1), RawRecord.Operation.INSERT, BsonDocument.parse("{_id: 1}"), SourcePosition.of(100, 1), false));
        assertThat(committer.calls).containsExactly("processed", "processed", "batchFinished");
        assertThat(progress.lastPosition()).isEqualTo(SourcePosition.of(100, 2));
        assertThat(progress.eventsCaptured()).isEqualTo(1);
    }

    @Test
    void aHeartbeatPastTheLastTickIsFollowedByATickInEveryPartitionOfEveryRawTopic() throws Exception {
        String raw = topics.raw("legacy", "jobs");
        Node node = new Node(0, "localhost", 9092);
        Cluster cluster = new Cluster("c", List.of(node), List.of(
                new PartitionInfo(raw, 0, node, new Node[]{node}, new Node[]{node}),
                new PartitionInfo(raw, 1, node, new Node[]{node}, new Node[]{node})), Set.of(), Set.of());
        MockProducer<byte[], byte[]> producer = new MockProducer<>(cluster, true, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        RawTopicWriter writer = writer(producer);

        writer.handleBatch(List.of(event(TestRecords.change("legacy", "jobs", "c", "false", 100, 1, "{\"_id\": 1}")),
                event(TestRecords.heartbeat(100, 2))), committer);
        writer.handleBatch(List.of(event(TestRecords.heartbeat(100, 2))), committer);
        writer.handleBatch(List.of(event(TestRecords.heartbeat(101, 1))), committer);

        List<ProducerRecord<byte[], byte[]>> ticks = producer.history().stream().filter(r -> r.key() == null).toList();
        assertThat(ticks).extracting(ProducerRecord::topic).containsOnly(raw);
        assertThat(ticks).extracting(ProducerRecord::partition).containsExactly(0, 1, 0, 1);
        assertThat(ticks).extracting(r -> RawRecords.read(null, r.value()))
                .as("one tick per partition for each new position, none for a heartbeat at the same position")
                .containsExactly(new RawRecord.Tick(SourcePosition.of(100, 2), 2), new RawRecord.Tick(SourcePosition.of(100, 2), 2),
                        new RawRecord.Tick(SourcePosition.of(101, 1), 2), new RawRecord.Tick(SourcePosition.of(101, 1), 2));
        assertThat(producer.history().indexOf(ticks.get(0))).as("a tick follows the batch's change events").isEqualTo(2);
        assertThat(progress.lastTick()).isEqualTo(SourcePosition.of(101, 1));
    }

    @Test
    void idsMongoDbFindsEqualGoToTheSamePartitionAndKeepTheirExactType() throws Exception {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(twoPartitions(), true, null,
                new ByteArraySerializer(), new ByteArraySerializer());
        writer(producer).handleBatch(List.of(
                event(TestRecords.change("legacy", "jobs", "c", "false", 100, 1, "{\"_id\": 7}")),
                event(TestRecords.change("legacy", "jobs", "u", "false", 100, 2, "{\"_id\": {\"$numberLong\": \"7\"}}")),
                event(TestRecords.change("legacy", "jobs", "u", "false", 100, 3, "{\"_id\": 7.0}"))), committer);

        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertThat(sent).extracting(ProducerRecord::partition).containsOnly(RawRecords.partition(new BsonInt32(7), 2));
        assertThat(sent).extracting(r -> RawRecords.id(r.key()).getBsonType())
                .containsExactly(BsonType.INT32, BsonType.INT64, BsonType.DOUBLE);
    }

    @Test
    void theLastReadOfASnapshotIsFollowedByASnapshotEndAtItsPositionInEveryPartition() throws Exception {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(twoPartitions(), true, null,
                new ByteArraySerializer(), new ByteArraySerializer());
        writer(producer).handleBatch(List.of(
                event(TestRecords.change("legacy", "jobs", "r", "true", 100, 0, "{\"_id\": 1}")),
                event(TestRecords.change("legacy", "jobs", "r", "last", 100, 0, "{\"_id\": 2}"))), committer);

        List<ProducerRecord<byte[], byte[]>> ends = producer.history().stream().filter(r -> r.key() == null).toList();
        assertThat(ends).extracting(ProducerRecord::partition).containsExactly(0, 1);
        assertThat(ends).extracting(r -> RawRecords.read(null, r.value()))
                .containsOnly(new RawRecord.SnapshotEnd(SourcePosition.of(100, 0), 2));
        assertThat(producer.history().indexOf(ends.get(0))).as("after the snapshot's reads").isEqualTo(2);
    }

    @Test
    void whileChangesFlowATickFollowsTheFirstBatchAfterTheIntervalJustBeforeItsLastChange() throws Exception {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(twoPartitions(), true, null,
                new ByteArraySerializer(), new ByteArraySerializer());
        RawTopicWriter writer = writer(producer);

        writer.handleBatch(List.of(event(TestRecords.change("legacy", "jobs", "c", "false", 100, 1, "{\"_id\": 1}"))),
                committer);
        nanos.addAndGet(TICK_INTERVAL.toNanos() - 1);
        writer.handleBatch(List.of(event(TestRecords.change("legacy", "jobs", "c", "false", 100, 2, "{\"_id\": 2}"))),
                committer);
        assertThat(producer.history()).as("no tick within the interval").allMatch(r -> r.key() != null);

        nanos.addAndGet(1);
        writer.handleBatch(List.of(event(TestRecords.change("legacy", "jobs", "c", "false", 100, 3, "{\"_id\": 3}")),
                event(TestRecords.change("legacy", "jobs", "u", "false", 100, 7, "{\"_id\": 1}"))), committer);
        List<ProducerRecord<byte[], byte[]>> ticks = producer.history().stream().filter(r -> r.key() == null).toList();
        assertThat(ticks).extracting(ProducerRecord::partition).containsExactly(0, 1);
        assertThat(ticks).extracting(r -> RawRecords.read(null, r.value()))
                .as("every change before the last one is in Kafka; a change sharing its position may still come")
                .containsOnly(new RawRecord.Tick(SourcePosition.of(100, 6), 2));
        assertThat(producer.history().indexOf(ticks.get(0))).as("after the batch's changes").isEqualTo(4);
        assertThat(progress.lastTick()).isEqualTo(SourcePosition.of(100, 6));

        nanos.addAndGet(TICK_INTERVAL.toNanos());
        writer.handleBatch(List.of(event(TestRecords.change("legacy", "jobs", "u", "false", 100, 7, "{\"_id\": 2}"))),
                committer);
        assertThat(producer.history().stream().filter(r -> r.key() == null)).as("no tick that does not move").hasSize(2);
    }

    @Test
    void snapshotReadsBringNoTicks() throws Exception {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(twoPartitions(), true, null,
                new ByteArraySerializer(), new ByteArraySerializer());
        nanos.addAndGet(TICK_INTERVAL.toNanos());
        writer(producer).handleBatch(List.of(
                event(TestRecords.change("legacy", "jobs", "r", "true", 100, 5, "{\"_id\": 1}"))), committer);

        assertThat(producer.history()).hasSize(1);
        assertThat(progress.lastTick()).isEqualTo(SourcePosition.ZERO);
    }

    private Cluster twoPartitions() {
        String raw = topics.raw("legacy", "jobs");
        Node node = new Node(0, "localhost", 9092);
        return new Cluster("c", List.of(node), List.of(
                new PartitionInfo(raw, 0, node, new Node[]{node}, new Node[]{node}),
                new PartitionInfo(raw, 1, node, new Node[]{node}, new Node[]{node})), Set.of(), Set.of());
    }

    @Test
    void aFailedWriteMarksNothingProcessedAndNamesTheTopic() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(twoPartitions(), false, null, new ByteArraySerializer(),
                new ByteArraySerializer()) {
            @Override
            public synchronized void flush() {
                while (errorNext(new TimeoutException("broker unreachable"))) {
                    // fail every pending send
                }
            }
        };
        List<RecordChangeEvent<SourceRecord>> batch = List.of(
                event(TestRecords.change("legacy", "jobs", "c", "false", 100, 1, "{\"_id\": 1}")));

        assertThatThrownBy(() -> writer(producer).handleBatch(batch, committer))
                .isInstanceOf(CaptureException.class)
                .hasMessageContaining(topics.raw("legacy", "jobs"))
                .hasMessageContaining("broker unreachable");
        assertThat(committer.calls).isEmpty();
        assertThat(progress.eventsCaptured()).isZero();
    }

    private static RecordChangeEvent<SourceRecord> event(SourceRecord record) {
        return () -> record;
    }

    private static final class RecordingCommitter implements DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> {
        final List<String> calls = new ArrayList<>();

        @Override
        public void markProcessed(RecordChangeEvent<SourceRecord> record) {
            calls.add("processed");
        }

        @Override
        public void markBatchFinished() {
            calls.add("batchFinished");
        }

        @Override
        public void markProcessed(RecordChangeEvent<SourceRecord> record, DebeziumEngine.Offsets offsets) {
            calls.add("processed");
        }

        @Override
        public DebeziumEngine.Offsets buildOffsets() {
            throw new UnsupportedOperationException();
        }
    }
}
