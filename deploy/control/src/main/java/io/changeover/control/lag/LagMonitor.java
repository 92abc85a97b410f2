package io.changeover.control.lag;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;

import io.changeover.transform.TransformTopology;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.topics.Topics;

/**
 * Measures each stage's lag, in pipeline order so that a report of zero means every source change that existed when
 * the measurement began is in the target:
 * <ol>
 *   <li>capture: the source's latest operation time against how far the capture's output is complete
 *       ({@link CapturePosition});</li>
 *   <li>transform: consumer-group lag of the transform's application id on every topic it reads: raw topics and
 *       the internal remap, resolved and dedupe topics ({@link TransformTopology#inputTopics}); then, counted in it,
 *       the documents it holds waiting for {@code remap} answers ({@link WaitingDocumentsReader}): once their records
 *       are consumed no topic shows them, and a reference cycle may keep them out of the target for the whole
 *       {@code wait};</li>
 *   <li>sink: consumer-group lag of the sink's group on the output topics.</li>
 * </ol>
 * Then, per collection, the position of the oldest record each stage holds ({@link OldestRecordReader}): lag in
 * seconds is its age. Holds one Kafka consumer between measurements: close it.
 */
public final class LagMonitor implements AutoCloseable {
    private static final PositionOf RAW = new PositionOf.RawRecordPosition();
    private static final PositionOf OUTPUT = new PositionOf.OutputRecordPosition();
    private final SourceClock sourceClock;
    private final Supplier<SourcePosition> capturePosition;
    private final ConsumerGroupLag groupLag;
    private final Topics topics;
    private final LagTopics lagTopics;
    private final LagConsumer consumer;
    private final WaitingDocumentsReader waiting;
    private final OldestRecordReader oldest;

    /** @param capturePosition how far the capture's output is complete ({@link CapturePosition#forTransform}) */
    public LagMonitor(MigrationSpec spec, Admin admin, SourceClock sourceClock, Supplier<SourcePosition> capturePosition) {
        CompiledSpec compiled = CompiledSpec.compile(spec);
        this.sourceClock = sourceClock;
        this.capturePosition = capturePosition;
        this.groupLag = new ConsumerGroupLag(admin);
        this.topics = Topics.of(spec.name());
        this.lagTopics = LagTopics.of(spec);
        this.consumer = new LagConsumer(spec.kafka());
        this.waiting = new WaitingDocumentsReader(consumer, TransformTopology.remapWaitingTopics(compiled));
        this.oldest = new OldestRecordReader(consumer);
    }

    public synchronized LagReport measure() {
        SourcePosition latest = sourceClock.latest();
        SourcePosition captured = capturePosition.get();
        StageLag capture = new StageLag("capture", -1, captureSeconds(latest, captured));
        Map<TopicPartition, ConsumerGroupLag.Range> transformBacklog =
                groupLag.backlog(topics.transformApplicationId(), lagTopics.transformInputs());
        // after the group's offsets, before the sink's: a wait begins in the transaction that commits the offset of
        // the record that started it, and ends in the one that writes the document's output
        Map<String, Backlog> waits = waiting.byCollection();
        Map<TopicPartition, ConsumerGroupLag.Range> sinkBacklog = groupLag.backlog(topics.sinkGroupId(), lagTopics.outputTopics());

        Map<TopicPartition, ConsumerGroupLag.Range> rawBacklog = new HashMap<>(transformBacklog);
        rawBacklog.keySet().removeIf(tp -> !lagTopics.rawTopics().contains(tp.topic()));
        Map<TopicPartition, ConsumerGroupLag.Range> held = new HashMap<>(rawBacklog);
        held.putAll(sinkBacklog);
        Set<String> raw = Set.copyOf(lagTopics.rawTopics());
        Map<TopicPartition, SourcePosition> positions = oldest.positions(held, topic -> raw.contains(topic) ? RAW : OUTPUT);

        List<CollectionLag> collections = new ArrayList<>();
        for (LagTopics.Collection c : lagTopics.collections()) {
            collections.add(new CollectionLag(c.name(), c.targets(),
                    backlog(transformBacklog, positions, c.raw()::equals),
                    waits.getOrDefault(c.name(), Backlog.NONE),
                    records(transformBacklog, c.internal()::contains),
                    backlog(sinkBacklog, positions, c.outputs()::contains)));
        }
        long waitingDocuments = waits.values().stream().mapToLong(Backlog::changes).sum();
        LagReport.Held totals = new LagReport.Held(
                waits.values().stream().reduce(backlog(rawBacklog, positions, t -> true), Backlog::plus),
                records(transformBacklog, t -> !raw.contains(t)),
                backlog(sinkBacklog, positions, t -> true));
        StageLag transform = new StageLag("transform", records(transformBacklog, t -> true) + waitingDocuments,
                LagAge.seconds(latest, totals.transform(), totals.internal()));
        StageLag sink = new StageLag("sink", records(sinkBacklog, t -> true), LagAge.seconds(latest, totals.sink(), 0));
        return new LagReport(capture, transform, sink, waitingDocuments, latest, collections, totals);
    }

    /**
     * The changes held in the partitions of some topics, with the oldest one's position. A partition whose offsets
     * left hold no committed record (transaction markers, aborted or compacted records only) holds no change.
     */
    private static Backlog backlog(Map<TopicPartition, ConsumerGroupLag.Range> ranges, Map<TopicPartition, SourcePosition> positions,
                                   Predicate<String> topic) {
        Backlog result = Backlog.NONE;
        for (var e : ranges.entrySet()) {
            if (topic.test(e.getKey().topic()) && positions.containsKey(e.getKey())) {
                result = result.plus(new Backlog(e.getValue().records(), positions.get(e.getKey())));
            }
        }
        return result;
    }

    private static long records(Map<TopicPartition, ConsumerGroupLag.Range> ranges, Predicate<String> topic) {
        return ranges.entrySet().stream().filter(e -> topic.test(e.getKey().topic()))
                .mapToLong(e -> e.getValue().records()).sum();
    }

    /**
     * Seconds the capture is behind; 0 once it has passed the source's latest operation; {@link LagAge#UNKNOWN} before
     * it wrote anything (not the age of the source's clock).
     */
    static double captureSeconds(SourcePosition latest, SourcePosition captured) {
        if (captured.equals(SourcePosition.ZERO)) {
            return LagAge.UNKNOWN;
        }
        if (captured.compareTo(latest) >= 0) {
            return 0;
        }
        // Behind by at least one operation: never report 0 for that, even within the same second.
        return Math.max(LagAge.HELD_MINIMUM, LagAge.between(captured, latest));
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}
