package io.changeover.capture;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;

/**
 * The engine's batch consumer: writes change events to raw topics and heartbeats to the heartbeat topic.
 *
 * <p>Nothing is lost: a batch is sent whole, every send is acknowledged (idempotent producer, {@code acks=all})
 * and only then are its records marked processed, so the engine never stores an offset past a record that is not
 * in Kafka. After a crash the records since the last stored offset are captured again; duplicates are expected
 * downstream, losses are not possible.
 */
final class RawTopicWriter implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {
    private static final Logger LOG = LoggerFactory.getLogger(RawTopicWriter.class);

    private final Producer<byte[], byte[]> producer;
    private final RecordRouter router;
    private final ChangeEventSerializer serializer;
    private final CaptureProgress progress;

    RawTopicWriter(Producer<byte[], byte[]> producer, RecordRouter router, ChangeEventSerializer serializer,
            CaptureProgress progress) {
        this.producer = producer;
        this.router = router;
        this.serializer = serializer;
        this.progress = progress;
    }

    @Override
    public void handleBatch(List<RecordChangeEvent<SourceRecord>> batch,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        List<Sent> sent = new ArrayList<>(batch.size());
        for (RecordChangeEvent<SourceRecord> event : batch) {
            sent.add(send(event.record()));
        }
        producer.flush();
        for (Sent s : sent) {
            awaitAck(s);
            progress.written(s.route, SourcePositions.fromOffset(s.record.sourceOffset()));
        }
        progress.batchWritten();
        for (RecordChangeEvent<SourceRecord> event : batch) {
            committer.markProcessed(event);
        }
        committer.markBatchFinished();
        LOG.debug("wrote a batch of {} records", batch.size());
    }

    @Override
    public boolean supportsTombstoneEvents() {
        return false;
    }

    private Sent send(SourceRecord record) {
        RoutedRecord route = router.route(record);
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(route.topic(), serializer.key(record),
                serializer.value(record));
        return new Sent(record, route, producer.send(out));
    }

    private static void awaitAck(Sent s) throws InterruptedException {
        try {
            s.ack.get();
        } catch (ExecutionException e) {
            throw new CaptureException("cannot write a change event to topic '" + s.route.topic()
                    + "' (Debezium offset " + s.record.sourceOffset() + "): " + e.getCause(), e.getCause());
        }
    }

    private record Sent(SourceRecord record, RoutedRecord route, Future<RecordMetadata> ack) {
    }
}
