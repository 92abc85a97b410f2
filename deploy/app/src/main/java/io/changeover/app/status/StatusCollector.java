package io.changeover.app.status;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.changeover.app.lag.LagMonitor;
import io.changeover.app.lag.LagReport;
import io.changeover.app.state.MigrationState;
import io.changeover.app.state.StateRecord;
import io.changeover.app.status.StatusReport.CollectionStatus;
import io.changeover.app.status.StatusReport.StageStatus;
import io.changeover.transform.TransformTopology;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.spec.CollectionSpec;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.topics.Topics;

/**
 * Measures a {@link StatusReport}. Rates (throughput, time left) compare with the previous measurement, so the first
 * report has none: one-shot status measures twice, a second apart.
 */
public final class StatusCollector {
    private final MigrationSpec spec;
    private final Topics topics;
    private final KafkaOffsets offsets;
    private final LagMonitor lag;
    private final SnapshotProgress snapshot;
    private final LongSupplier deadLetters;
    private final Supplier<Optional<StateRecord>> state;
    private final Supplier<Optional<String>> failure;
    private final ReadinessRule readiness;
    private final Clock clock;
    private final List<String> rawTopics;
    private final List<String> outputTopics;
    private Sample previous;

    /**
     * @param state   the migration's saved state
     * @param failure a failed stage's description (in the process running the pipeline; empty elsewhere)
     */
    public StatusCollector(MigrationSpec spec, KafkaOffsets offsets, LagMonitor lag, SnapshotProgress snapshot, LongSupplier deadLetters,
                           Supplier<Optional<StateRecord>> state, Supplier<Optional<String>> failure, ReadinessRule readiness,
                           Clock clock) {
        this.spec = spec;
        this.topics = Topics.of(spec.name());
        this.offsets = offsets;
        this.lag = lag;
        this.snapshot = snapshot;
        this.deadLetters = deadLetters;
        this.state = state;
        this.failure = failure;
        this.readiness = readiness;
        this.clock = clock;
        this.rawTopics = spec.collections().stream().map(c -> topics.raw(spec.source().database(), c.source())).toList();
        this.outputTopics = TransformTopology.outputTopics(CompiledSpec.compile(spec));
    }

    public MigrationSpec spec() {
        return spec;
    }

    public synchronized StatusReport measure() {
        LagReport lagReport = lag.measure();
        List<SnapshotProgress.Collection> progress = snapshot.collections();
        Map<String, KafkaOffsets.TopicRange> ranges = offsets.ranges(rawTopics);
        Sample now = new Sample(System.nanoTime(), sum(ranges, rawTopics),
                offsets.committed(topics.transformApplicationId(), rawTopics),
                offsets.committed(topics.sinkGroupId(), outputTopics), snapshotCounts(progress));
        double seconds = previous == null ? 0 : (now.nanos - previous.nanos) / 1e9;
        Sample before = previous == null ? Sample.NONE : previous;
        previous = now;

        double captureRate = Rates.perSecond(before.captured, now.captured, seconds);
        double transformRate = Rates.perSecond(before.transformed, now.transformed, seconds);
        double sinkRate = Rates.perSecond(before.sunk, now.sunk, seconds);
        List<StageStatus> stages = List.of(
                new StageStatus("capture", -1, Math.max(0, lagReport.capture().seconds()), captureRate),
                new StageStatus("transform", lagReport.transform().events(),
                        Rates.secondsFor(lagReport.transform().events(), transformRate), transformRate),
                new StageStatus("sink", lagReport.sink().events(), Rates.secondsFor(lagReport.sink().events(), sinkRate), sinkRate));

        long deadLetterCount = deadLetters.getAsLong();
        Optional<StateRecord> saved = state.get();
        Optional<String> failed = failure.get();
        long lagEvents = lagReport.transform().events() + lagReport.sink().events();
        var cutover = readiness.evaluate(saved.map(StateRecord::state), failed, lagEvents,
                Math.max(0, lagReport.capture().seconds()), deadLetterCount);
        return new StatusReport(spec.name(), Instant.now(clock),
                saved.map(s -> s.state().label()).orElse("unknown"), saved.map(StateRecord::reason).orElse(""),
                saved.map(StateRecord::since).orElse(null),
                collections(progress, before, seconds), stages, sinkRate, deadLetterCount, cutover,
                new RetentionCheck(offsets).warnings(rawTopics));
    }

    /** The lag measured alone (used by the state tracker and the cutover). */
    public LagReport lag() {
        return lag.measure();
    }

    private List<CollectionStatus> collections(List<SnapshotProgress.Collection> progress, Sample before, double seconds) {
        List<CollectionStatus> result = new ArrayList<>();
        for (SnapshotProgress.Collection p : progress) {
            double rate = Rates.perSecond(before.snapshot.getOrDefault(p.collection(), -1L), p.snapshotRecords(), seconds);
            long remaining = p.done() ? 0 : Math.max(0, p.estimatedCount() - p.snapshotRecords());
            double eta = p.done() ? 0 : p.estimatedCount() < 0 ? -1 : Rates.secondsFor(Math.max(1, remaining), rate);
            String target = spec.collection(p.collection()).map(CollectionSpec::into).orElse(p.collection());
            result.add(new CollectionStatus(p.collection(), target, p.estimatedCount(), p.snapshotRecords(), p.changeEvents(),
                    p.done(), eta));
        }
        return result;
    }

    private static Map<String, Long> snapshotCounts(List<SnapshotProgress.Collection> progress) {
        Map<String, Long> counts = new HashMap<>();
        progress.forEach(p -> counts.put(p.collection(), p.snapshotRecords()));
        return counts;
    }

    private static long sum(Map<String, KafkaOffsets.TopicRange> ranges, List<String> names) {
        return names.stream().mapToLong(n -> ranges.containsKey(n) ? ranges.get(n).latest() : 0).sum();
    }

    /** Whether the saved state says the snapshot is done. */
    public static boolean streaming(Optional<StateRecord> state) {
        return state.map(s -> s.state() != MigrationState.SNAPSHOTTING).orElse(false);
    }

    private record Sample(long nanos, long captured, long transformed, long sunk, Map<String, Long> snapshot) {
        static final Sample NONE = new Sample(0, -1, -1, -1, Map.of());
    }
}
