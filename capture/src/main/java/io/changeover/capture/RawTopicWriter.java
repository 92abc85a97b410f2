package io.changeover.capture;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.changeover.transform.format.DeadLetters;
import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.format.RawRecord;
import io.changeover.transform.format.RawRecords;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;

/**
 * The engine's batch consumer: writes change events to raw topics in Changeover's raw format ({@link RawRecords},
 * each in the partition of its id's identity) and heartbeats to the heartbeat topic. When a batch's heartbeats move
 * the source position past the last tick, a {@link RawRecord.Tick} follows the batch in every partition of every raw
 * topic: readers of a quiet partition learn how far the source has got. While changes flow (Debezium heartbeats only
 * an idle source), the first batch after the tick interval is followed by ticks at the position just before its last
 * streamed change: every change before that one is in Kafka, and changes of one transaction share a position. When a
 * batch holds the last read of a snapshot, a {@link RawRecord.SnapshotEnd} at the snapshot's position follows it in every partition of every raw
 * topic: readers delete what they know from before that the snapshot did not read.
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
    private final SourceDialect dialect;
    private final LargeDocumentStrategy largeDocuments;
    private final String deadLetterTopic;
    private final ChangeEventSerializer heartbeats;
    private final CaptureProgress progress;
    private final Map<String, Integer> partitions = new HashMap<>();
    private final long tickIntervalNanos;
    private final LongSupplier nanoClock;
    private SourcePosition lastTick = SourcePosition.ZERO;
    private long lastTickNanos;

    /**
     * @param largeDocuments  what to do with a change whose document was too large for its event
     * @param deadLetterTopic where changes refused by {@code largeDocuments} go
     */
    RawTopicWriter(Producer<byte[], byte[]> producer, RecordRouter router, ChangeEventSerializer heartbeats,
            CaptureProgress progress, Duration tickInterval, LongSupplier nanoClock,
            LargeDocumentStrategy largeDocuments, String deadLetterTopic) {
        this(producer, router, new MongoSourceDialect(), heartbeats, progress, tickInterval, nanoClock, largeDocuments,
                deadLetterTopic);
    }

    RawTopicWriter(Producer<byte[], byte[]> producer, RecordRouter router, SourceDialect dialect,
            ChangeEventSerializer heartbeats, CaptureProgress progress, Duration tickInterval, LongSupplier nanoClock,
            LargeDocumentStrategy largeDocuments, String deadLetterTopic) {
        this.producer = producer;
        this.router = router;
        this.dialect = dialect;
        this.largeDocuments = largeDocuments;
        this.deadLetterTopic = deadLetterTopic;
        this.heartbeats = heartbeats;
        this.progress = progress;
        this.tickIntervalNanos = tickInterval.toNanos();
        this.nanoClock = nanoClock;
        this.lastTickNanos = nanoClock.getAsLong();
    }

    @Override
    public void handleBatch(List<RecordChangeEvent<SourceRecord>> batch,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        List<Sent> sent = new ArrayList<>(batch.size());
        SourcePosition heartbeat = SourcePosition.ZERO;
        SourcePosition streamed = SourcePosition.ZERO;
        for (RecordChangeEvent<SourceRecord> event : batch) {
            Sent s = send(event.record());
            sent.add(s);
            if (s.route instanceof RoutedRecord.Heartbeat) {
                heartbeat = max(heartbeat, Optional.ofNullable(s.position));
            } else if (s.route instanceof RoutedRecord.Change c && !c.snapshot()) {
                streamed = s.position.compareTo(streamed) > 0 ? s.position : streamed;
            }
        }
        List<Sent> ticks = new ArrayList<>();
        snapshotEnd(sent).ifPresent(position -> ticks.addAll(sendToEveryPartition(position,
                count -> new RawRecord.SnapshotEnd(position, count))));
        Optional<SourcePosition> tick = tickPosition(heartbeat, streamed);
        tick.ifPresent(at -> ticks.addAll(sendToEveryPartition(at, count -> new RawRecord.Tick(at, count))));
        producer.flush();
        for (Sent t : ticks) {   // before the tick's position is reported: a position past a change means ticks past it
            awaitAck(t);
        }
        if (tick.isPresent()) {
            lastTick = tick.get();
            lastTickNanos = nanoClock.getAsLong();
            progress.ticked(lastTick);
        }
        for (Sent s : sent) {
            awaitAck(s);
            progress.written(s.route, Optional.ofNullable(s.position));
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
        SourcePosition position = dialect.position(record).orElse(null);
        ProducerRecord<byte[], byte[]> out;
        if (route instanceof RoutedRecord.Change change) {
            if (position == null) {
                throw new CaptureException("Debezium change event of '" + change.collection() + "' carries no source"
                        + " position in its offset " + record.sourceOffset());
            }
            RawRecord.Change raw = dialect.convert(record, change, position);
            OptionalInt largeDocumentSize = LargeDocuments.stubSize(raw.after());
            if (largeDocumentSize.isPresent()) {
                LargeDocumentStrategy.Outcome outcome = largeDocuments.resolve(raw, largeDocumentSize.getAsInt());
                if (outcome instanceof LargeDocumentStrategy.DeadLetter refused) {
                    return new Sent(record, route, raw.position(), producer.send(deadLetter(refused)));
                }
                raw = ((LargeDocumentStrategy.Write) outcome).change();
            }
            out = new ProducerRecord<>(route.topic(), RawRecords.partition(raw.id(), partitions(route.topic())),
                    RawRecords.key(raw), RawRecords.value(raw));
            return new Sent(record, route, raw.position(), producer.send(out));
        }
        out = new ProducerRecord<>(route.topic(), heartbeats.key(record), heartbeats.value(record));
        return new Sent(record, route, position, producer.send(out));
    }

    /** The dead-letter record of a change refused by the large-document policy: the change as captured, and why. */
    private ProducerRecord<byte[], byte[]> deadLetter(LargeDocumentStrategy.DeadLetter refused) {
        LOG.error("change of a large document dead-lettered: {}", refused.reason());
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(deadLetterTopic, RawRecords.key(refused.stub()),
                RawRecords.value(refused.stub()));
        DeadLetters.put(out.headers(), DeadLetters.STAGE, "capture");
        DeadLetters.put(out.headers(), DeadLetters.COLLECTION, refused.stub().collection());
        DeadLetters.put(out.headers(), DeadLetters.STEP, "large document");
        DeadLetters.put(out.headers(), DeadLetters.REASON, refused.reason());
        return out;
    }

    /**
     * Where this batch's ticks go, if anywhere: at a heartbeat past the last tick, or, once the tick interval has
     * passed, just before the batch's last streamed change (changes of one transaction share its position, so only
     * the positions before it are known complete).
     */
    private Optional<SourcePosition> tickPosition(SourcePosition heartbeat, SourcePosition streamed) {
        SourcePosition beforeLast = streamed.value() == 0 ? SourcePosition.ZERO : new SourcePosition(streamed.value() - 1);
        boolean due = nanoClock.getAsLong() - lastTickNanos >= tickIntervalNanos;
        SourcePosition at = due ? max(heartbeat, Optional.of(beforeLast)) : heartbeat;
        return at.compareTo(lastTick) > 0 ? Optional.of(at) : Optional.empty();
    }

    /** The position of the snapshot whose last read is in this batch, if one is. */
    private static Optional<SourcePosition> snapshotEnd(List<Sent> sent) {
        return sent.stream().filter(s -> s.route instanceof RoutedRecord.Change c && c.lastOfSnapshot())
                .map(Sent::position).findFirst();
    }

    /** One record made for each partition count to each partition of each raw topic, sent after the batch's records. */
    private List<Sent> sendToEveryPartition(SourcePosition position, IntFunction<RawRecord> record) {
        List<Sent> sent = new ArrayList<>();
        for (String topic : router.rawTopics()) {
            int count = partitions(topic);
            byte[] value = RawRecords.value(record.apply(count));
            for (int partition = 0; partition < count; partition++) {
                sent.add(new Sent(null, new RoutedRecord.Tick(topic), position,
                        producer.send(new ProducerRecord<>(topic, partition, null, value))));
            }
        }
        return sent;
    }

    private int partitions(String topic) {
        return partitions.computeIfAbsent(topic, t -> producer.partitionsFor(t).size());
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

    private record Sent(SourceRecord record, RoutedRecord route, SourcePosition position, Future<RecordMetadata> ack) {
    }
}
