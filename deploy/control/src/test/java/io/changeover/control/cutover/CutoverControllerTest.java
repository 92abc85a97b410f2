package io.changeover.control.cutover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.changeover.control.lag.LagReport;
import io.changeover.control.lag.StageLag;
import io.changeover.control.state.MigrationState;
import io.changeover.control.state.MigrationStateMachine;
import io.changeover.control.state.StateRecord;
import io.changeover.control.state.StateStore;
import io.changeover.control.status.LagThreshold;
import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;

/** Stage timeouts and abort paths without servers: lag, capture position and the pipeline are stand-ins. */
class CutoverControllerTest {
    private static final MigrationSpec SPEC = SpecLoader.parse("""
            migration: m
            source: {uri: "mongodb://localhost:1", database: legacy}
            target: {uri: "mongodb://ops:secret@target:27017", database: refactored}
            kafka: {bootstrap.servers: "localhost:2"}
            collections:
              jobs: {into: jobs_v2}
            """, "test.yaml");

    @TempDir
    Path dir;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
    private final AtomicReference<LagReport> lag = new AtomicReference<>(lag(0, 0));
    private final AtomicReference<Optional<String>> failure = new AtomicReference<>(Optional.empty());
    private final CountingHook hook = new CountingHook();
    private MemoryStore store;
    private MigrationStateMachine machine;

    @BeforeEach
    void streaming() {
        store = new MemoryStore();
        machine = MigrationStateMachine.resume(store, Clock.systemUTC());
        machine.moveTo(MigrationState.STREAMING, "snapshot done");
    }

    private CutoverContext context(CutoverOptions options) {
        return new CutoverContext(SPEC, null, null, lag::get, () -> SourcePosition.ZERO, () -> 0, failure::get, hook, options);
    }

    private static CutoverOptions fast() {
        return CutoverOptions.defaults().withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1)).withThreshold(new LagThreshold(10, 1));
    }

    private static LagReport lag(long transform, long sink) {
        return new LagReport(new StageLag("capture", -1, 0), new StageLag("transform", transform, -1), new StageLag("sink", sink, -1));
    }

    @Test
    void lagGateTimesOutNamingTheLagAndLeavesTheMigrationStreaming() {
        lag.set(lag(5000, 3));
        CutoverResult result = new CutoverController(context(fast()), machine, out).run();
        assertThat(result.cutOver()).isFalse();
        assertThat(result.stage()).isEqualTo("[1/5] lag gate");
        assertThat(result.reason()).startsWith("timed out after 1 s waiting for lag under 10 records and 1.0 s")
                .contains("transform 5000 records, sink 3 records");
        assertThat(store.saved.state()).isEqualTo(MigrationState.STREAMING);
        assertThat(store.saved.reason()).startsWith("cutover aborted at [1/5] lag gate");
        assertThat(hook.unfenced.get()).isZero();
        assertThat(output.toString(StandardCharsets.UTF_8))
                .contains("cutover ABORTED at [1/5] lag gate")
                .contains("the source was not fenced and stays writable; the pipeline is still running");
    }

    @Test
    void aFailedPipelineStageAbortsAtOnce() {
        lag.set(lag(5000, 0));
        failure.set(Optional.of("sink failed: target unreachable"));
        CutoverResult result = new CutoverController(context(fast().withTimeouts(Duration.ofMinutes(5), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1))), machine, out).run();
        assertThat(result.reason()).isEqualTo("the pipeline failed: sink failed: target unreachable");
    }

    @Test
    void holdWaitsForTheFileToGoAndTimesOutWhileItStays() throws Exception {
        Path hold = Files.createFile(dir.resolve("postpone"));
        CutoverResult held = new CutoverController(context(fast().withHoldFile(hold)), machine, out,
                List.of(new LagGateStage(), new HoldStage())).run();
        assertThat(held.stage()).isEqualTo("[2/2] hold");
        assertThat(held.reason()).contains("the hold file " + hold + " still exists");

        CutoverOptions patient = fast().withHoldFile(hold).withTimeouts(Duration.ofSeconds(1), Duration.ofMinutes(2),
                Duration.ofSeconds(1), Duration.ofSeconds(1));
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(300);
                Files.delete(hold);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        release.start();
        CutoverResult passed = new CutoverController(context(patient), machine, out, List.of(new HoldStage(), new PassStage())).run();
        release.join();
        assertThat(passed.cutOver()).isTrue();
        assertThat(output.toString(StandardCharsets.UTF_8)).containsPattern("\\[1/2\\] hold passed in [0-9.]+ s: released after");
    }

    @Test
    void abortAfterTheFenceRunsTheUnfenceHook() {
        CutoverResult result = new CutoverController(context(fast()), machine, out,
                List.of(new FencingStage(), new FailingStage("3 mismatches"))).run();
        assertThat(result.stage()).isEqualTo("[2/2] failing");
        assertThat(hook.unfenced.get()).isEqualTo(1);
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("the source is writable again (unfence hook ran");
        assertThat(store.saved.state()).isEqualTo(MigrationState.STREAMING);
    }

    @Test
    void aFailingUnfenceHookIsReportedLoudly() {
        hook.unfenceFails = true;
        new CutoverController(context(fast()), machine, out, List.of(new FencingStage(), new FailingStage("boom"))).run();
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("WARNING: the unfence hook FAILED (cannot reach services)");
    }

    @Test
    void aMigrationStillSnapshottingCannotBeCutOver() {
        MemoryStore fresh = new MemoryStore();
        MigrationStateMachine snapshotting = MigrationStateMachine.resume(fresh, Clock.systemUTC());
        CutoverResult result = new CutoverController(context(fast()), snapshotting, out).run();
        assertThat(result.cutOver()).isFalse();
        assertThat(result.reason()).isEqualTo("the migration is snapshotting");
        assertThat(fresh.saved.state()).isEqualTo(MigrationState.SNAPSHOTTING);
    }

    @Test
    void successEndsCutOverAndNamesTheTargetWithoutItsPassword() {
        CutoverResult result = new CutoverController(context(fast()), machine, out, List.of(new PassStage())).run();
        assertThat(result.cutOver()).isTrue();
        assertThat(store.saved.state()).isEqualTo(MigrationState.CUT_OVER);
        assertThat(output.toString(StandardCharsets.UTF_8)).contains(
                "services should now point at: mongodb://ops:***@target:27017 database refactored (collections jobs -> jobs_v2)");
    }

    @Test
    void dryRunListsEveryStageWithItsReadinessAndChangesNothing() {
        lag.set(lag(5000, 0));
        new CutoverController(context(fast()), machine, out).dryRun();
        String text = output.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("[1/5] lag gate").contains("not ready: lag: capture 0.0s, transform 5000 records")
                .contains("[2/5] hold").contains("[3/5] fence").contains("[4/5] verify").contains("[5/5] record");
        assertThat(store.saved.state()).isEqualTo(MigrationState.STREAMING);
        assertThat(hook.fenced.get()).isZero();
    }

    static final class MemoryStore implements StateStore {
        StateRecord saved;

        @Override
        public Optional<StateRecord> load() {
            return Optional.ofNullable(saved);
        }

        @Override
        public void save(StateRecord record) {
            saved = record;
        }
    }

    static final class CountingHook implements FenceHook {
        final AtomicInteger fenced = new AtomicInteger();
        final AtomicInteger unfenced = new AtomicInteger();
        volatile boolean unfenceFails;

        @Override
        public void fence() {
            fenced.incrementAndGet();
        }

        @Override
        public void unfence() {
            if (unfenceFails) {
                throw new IllegalStateException("cannot reach services");
            }
            unfenced.incrementAndGet();
        }

        @Override
        public String describe() {
            return "counting hook";
        }
    }

    /** Fences like the real fence stage, without a source. */
    static final class FencingStage extends PassStage {
        @Override
        public String run(CutoverContext context, Deadline deadline) {
            context.fenced(true);
            try {
                context.fenceHook().fence();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            context.fence("f", SourcePosition.of(1, 1));
            return "fenced";
        }
    }

    static final class FailingStage extends PassStage {
        private final String reason;

        FailingStage(String reason) {
            this.reason = reason;
        }

        @Override
        public String name() {
            return "failing";
        }

        @Override
        public String run(CutoverContext context, Deadline deadline) {
            throw new CutoverAbort(reason);
        }
    }

    static class PassStage implements CutoverStage {
        @Override
        public String name() {
            return "pass";
        }

        @Override
        public String describe(CutoverContext context) {
            return "passes";
        }

        @Override
        public String readiness(CutoverContext context) {
            return "ready";
        }

        @Override
        public Duration timeout(CutoverOptions options) {
            return Duration.ofSeconds(1);
        }

        @Override
        public String run(CutoverContext context, Deadline deadline) {
            return "passed";
        }
    }
}
