package io.changeover.capture;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.format.SourceTicks;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;

/**
 * The engine's batch consumer: writes change events to raw topics and heartbeats to the heartbeat topic. When a
 * batch's heartbeats move the source position past the last tick, a tick ({@link SourceTicks}) follows the batch in
 * every partition of every raw topic: readers of a quiet partition learn how far the source has got.
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
    private final Map<String, Integer> partitions = new HashMap<>();
    private SourcePosition lastTick = SourcePosition.ZERO;

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
        SourcePosition heartbeat = SourcePosition.ZERO;
        for (RecordChangeEvent<SourceRecord> event : batch) {
            Sent s = send(event.record());
            sent.add(s);
            if (s.route instanceof RoutedRecord.Heartbeat) {
                heartbeat = max(heartbeat, SourcePositions.fromOffset(s.record.sourceOffset()));
            }
        }
        List<Sent> ticks = heartbeat.compareTo(lastTick) > 0 ? sendTicks(heartbeat) : List.of();
        producer.flush();
        for (Sent tick : ticks) {   // before the heartbeat's position is reported: a position past a change means ticks past it
            awaitAck(tick);
        }
        if (!ticks.isEmpty()) {
            lastTick = heartbeat;
            progress.ticked(heartbeat);
        }
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

    /** One tick at {@code position} to each partition of each raw topic, sent after the batch's records. */
    private List<Sent> sendTicks(SourcePosition position) {
        List<Sent> sent = new ArrayList<>();
        for (String topic : router.rawTopics()) {
            int count = partitions.computeIfAbsent(topic, t -> producer.partitionsFor(t).size());
            byte[] value = SourceTicks.value(position, count);
            for (int partition = 0; partition < count; partition++) {
                sent.add(new Sent(null, new RoutedRecord.Tick(topic),
                        producer.send(new ProducerRecord<>(topic, partition, null, value))));
            }
        }
        return sent;
    }

    private static SourcePosition max(SourcePosition a, Optional<SourcePosition> b) {
        return b.filter(p -> p.compareTo(a) > 0).orElse(a);
    }

    private static void awaitAck(Sent s) throws InterruptedException {
        try {
            s.ack.get();
        } catch (ExecutionException e) {
            throw new CaptureException("cannot write " + (s.record == null ? "a tick" : "a change event") + " to topic '"
                    + s.route.topic() + "'" + (s.record == null ? "" : " (Debezium offset " + s.record.sourceOffset() + ")")
                    + ": " + e.getCause(), e.getCause());
        }
    }

    private record Sent(SourceRecord record, RoutedRecord route, Future<RecordMetadata> ack) {
    }
}
