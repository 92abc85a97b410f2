package io.changeover.control.status;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.changeover.control.lag.CollectionLag;
import io.changeover.control.lag.LagMonitor;
import io.changeover.control.lag.LagReport;
import io.changeover.control.state.MigrationState;
import io.changeover.control.state.StateRecord;
import io.changeover.control.status.StatusReport.CollectionStatus;
import io.changeover.control.status.StatusReport.DeadLetters;
import io.changeover.control.status.StatusReport.Detail;
import io.changeover.control.status.StatusReport.Snapshot;
import io.changeover.control.status.StatusReport.StageStatus;
import io.changeover.transform.TransformTopology;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.topics.Topics;

/**
 * Measures a {@link StatusReport} and keeps its samples in a {@link LagHistory}. Rates (throughput, source and
 * applied changes per second, time left) compare with the oldest sample within {@link LagHistory#RATE_WINDOW}, so the
 * first report has none: one-shot status measures twice, a second apart.
 */
public final class StatusCollector {
    private final MigrationSpec spec;
    private final Topics topics;
    private final KafkaOffsets offsets;
    private final LagMonitor lag;
    private final SnapshotProgress snapshot;
    private final Supplier<DeadLetters> deadLetters;
    private final Supplier<List<StageInstances.Instance>> instances;
    private final Supplier<Optional<StateRecord>> state;
    private final Supplier<Optional<String>> failure;
    private final ReadinessRule readiness;
    private final Clock clock;
    private final LagHistory history = new LagHistory();
    private final List<String> outputTopics;

    /**
     * @param state   the migration's saved state
     * @param failure a failed stage's description (in the process running the pipeline; empty elsewhere)
     */
    private final Supplier<List<String>> sourceWarnings;

    public StatusCollector(MigrationSpec spec, KafkaOffsets offsets, LagMonitor lag, SnapshotProgress snapshot,
                           Supplier<DeadLetters> deadLetters, Supplier<List<StageInstances.Instance>> instances,
                           Supplier<Optional<StateRecord>> state, Supplier<Optional<String>> failure,
                           ReadinessRule readiness, Clock clock, Supplier<List<String>> sourceWarnings) {
        this.spec = spec;
        this.sourceWarnings = sourceWarnings;
        this.topics = Topics.of(spec.name());
        this.offsets = offsets;
        this.lag = lag;
        this.snapshot = snapshot;
        this.deadLetters = deadLetters;
        this.instances = instances;
        this.state = state;
        this.failure = failure;
        this.readiness = readiness;
        this.clock = clock;
        this.outputTopics = TransformTopology.outputTopics(CompiledSpec.compile(spec));
    }

    public MigrationSpec spec() {
        return spec;
    }

    /** The samples kept so far. */
    public LagHistory history() {
        return history;
    }

    public synchronized StatusReport measure() {
        LagReport lagReport = lag.measure();
        Instant now = Instant.now(clock);
        Map<String, SnapshotProgress.Collection> progress = new HashMap<>();
        snapshot.collections().forEach(p -> progress.put(p.collection(), p));
        List<String> rawTopics = lagReport.collections().stream()
                .map(c -> topics.raw(spec.source().database(), c.collection())).toList();
        Map<String, KafkaOffsets.TopicRange> ranges = offsets.ranges(rawTopics);

        Map<String, Flow.Counts> counts = new HashMap<>();
        for (CollectionLag c : lagReport.collections()) {
            KafkaOffsets.TopicRange range = ranges.get(topics.raw(spec.source().database(), c.collection()));
            counts.put(c.collection(), counts(progress.get(c.collection()), range == null ? 0 : range.latest(),
                    c.pending().changes()));
        }
        Map<String, Long> consumed = Map.of(
                "capture", ranges.values().stream().mapToLong(KafkaOffsets.TopicRange::latest).sum(),
                "transform", offsets.committed(topics.transformApplicationId(), rawTopics),
                "sink", offsets.committed(topics.sinkGroupId(), outputTopics));
        Optional<LagHistory.Sample> start = history.windowStart(now, LagHistory.RATE_WINDOW);
        double window = start.map(s -> Duration.between(s.at(), now).toMillis() / 1000.0).orElse(0.0);

        List<CollectionStatus> collections = new ArrayList<>();
        for (CollectionLag c : lagReport.collections()) {
            Flow flow = start.map(s -> Flow.between(s.counts().getOrDefault(c.collection(), Flow.Counts.ZERO),
                    counts.get(c.collection()), window)).orElse(Flow.UNKNOWN);
            SnapshotProgress.Collection p = progress.get(c.collection());
            collections.add(new CollectionStatus(c.collection(), c.targets(), snapshot(p, start, window),
                    p == null ? -1 : p.changeEvents(),
                    new LagFigures(lagReport.seconds(c), c.pending().changes(), flow),
                    new Detail(c.transform().changes(), c.waiting().changes(), c.internal(), c.sink().changes())));
        }
        Flow.Counts summed = counts.values().stream().reduce(Flow.Counts.ZERO, Flow.Counts::plus);
        // pending over all collections counts an output topic shared by two collections once
        Flow.Counts total = new Flow.Counts(summed.entered(), summed.streamed(), lagReport.changes());
        Flow overallFlow = start.map(s -> Flow.between(s.total(), total, window)).orElse(Flow.UNKNOWN);
        LagFigures overall = new LagFigures(lagReport.seconds(), lagReport.changes(), overallFlow);

        List<StageStatus> stages = List.of(
                new StageStatus("capture", -1, lagReport.capture().seconds(), 0, rate(start, consumed, "capture", window)),
                new StageStatus("transform", lagReport.held().transform().changes(), lagReport.transform().seconds(),
                        lagReport.held().internal(), rate(start, consumed, "transform", window)),
                new StageStatus("sink", lagReport.held().sink().changes(), lagReport.sink().seconds(), 0,
                        rate(start, consumed, "sink", window)));

        DeadLetters dead = deadLetters.get();
        Optional<StateRecord> saved = state.get();
        Optional<String> failed = failure.get();
        long lagRecords = lagReport.transform().events() + lagReport.sink().events();
        var cutover = readiness.evaluate(saved.map(StateRecord::state), failed, lagRecords, overall.seconds(), dead.count());
        StatusReport report = new StatusReport(spec.name(), now,
                saved.map(s -> s.state().label()).orElse("unknown"), saved.map(StateRecord::reason).orElse(""),
                saved.map(StateRecord::since).orElse(null), overall, collections, stages, instances.get(), dead, cutover,
                warnings(rawTopics));
        history.add(new LagHistory.Sample(now, overall, report.snapshotFraction(), counts, total, consumed));
        return report;
    }

    private List<String> warnings(List<String> rawTopics) {
        List<String> warnings = new ArrayList<>(new RetentionCheck(offsets).warnings(rawTopics));
        warnings.addAll(sourceWarnings.get());
        return warnings;
    }

    /** The lag measured alone (used by the state tracker and the cutover). */
    public LagReport lag() {
        return lag.measure();
    }

    /**
     * What entered the pipeline for one collection: the capture's own counts in its process; elsewhere the raw topic's
     * records (ticks and transaction markers take offsets too, so rates from afar read a little high).
     */
    private static Flow.Counts counts(SnapshotProgress.Collection p, long rawRecords, long pending) {
        if (p != null && p.changeEvents() >= 0) {
            return new Flow.Counts(p.snapshotRecords() + p.changeEvents(), p.changeEvents(), pending);
        }
        long snapshotted = p == null ? 0 : p.snapshotRecords();
        return new Flow.Counts(rawRecords, Math.max(0, rawRecords - snapshotted), pending);
    }

    private Snapshot snapshot(SnapshotProgress.Collection p, Optional<LagHistory.Sample> start, double window) {
        if (p == null) {
            return null;
        }
        if (p.done()) {
            return new Snapshot(p.estimatedCount(), p.snapshotRecords(), true, 0);
        }
        double rate = start.map(s -> s.counts().get(p.collection()))
                .map(before -> Rates.perSecond(before.entered() - before.streamed(), p.snapshotRecords(), window))
                .orElse(-1.0);
        long remaining = Math.max(1, p.estimatedCount() - p.snapshotRecords());
        return new Snapshot(p.estimatedCount(), p.snapshotRecords(), false,
                p.estimatedCount() < 0 ? -1 : Rates.secondsFor(remaining, rate));
    }

    private static double rate(Optional<LagHistory.Sample> start, Map<String, Long> consumed, String stage, double window) {
        return start.map(s -> Rates.perSecond(s.consumed().getOrDefault(stage, -1L), consumed.get(stage), window)).orElse(-1.0);
    }

    /** Whether the saved state says the snapshot is done. */
    public static boolean streaming(Optional<StateRecord> state) {
        return state.map(s -> s.state() != MigrationState.SNAPSHOTTING).orElse(false);
    }
}
