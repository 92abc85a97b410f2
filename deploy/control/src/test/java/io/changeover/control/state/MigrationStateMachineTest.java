package io.changeover.control.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MigrationStateMachineTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);

    /** A store that keeps one record in memory, as the metadata collection does across processes. */
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

    @Test
    void newMigrationStartsSnapshottingAndSavesIt() {
        MemoryStore store = new MemoryStore();
        MigrationStateMachine machine = MigrationStateMachine.resume(store, CLOCK);
        assertThat(machine.state()).isEqualTo(MigrationState.SNAPSHOTTING);
        assertThat(store.saved.state()).isEqualTo(MigrationState.SNAPSHOTTING);
    }

    @Test
    void happyPathIsSavedAtEveryStep() {
        MemoryStore store = new MemoryStore();
        MigrationStateMachine machine = MigrationStateMachine.resume(store, CLOCK);
        for (MigrationState s : new MigrationState[] {MigrationState.STREAMING, MigrationState.READY_TO_CUT_OVER,
                MigrationState.CUTTING_OVER, MigrationState.CUT_OVER}) {
            machine.moveTo(s, "step " + s);
            assertThat(store.saved.state()).isEqualTo(s);
            assertThat(store.saved.reason()).isEqualTo("step " + s);
        }
    }

    @Test
    void refusedTransitionNamesBothStatesAndKeepsTheSavedOne() {
        MemoryStore store = new MemoryStore();
        MigrationStateMachine machine = MigrationStateMachine.resume(store, CLOCK);
        assertThatThrownBy(() -> machine.moveTo(MigrationState.CUT_OVER, "skip everything"))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("from snapshotting to cut-over");
        assertThat(store.saved.state()).isEqualTo(MigrationState.SNAPSHOTTING);
        assertThat(machine.tryMoveTo(MigrationState.SNAPSHOTTING, MigrationState.CUT_OVER, "skip")).isFalse();
    }

    @Test
    void tryMoveNeverUndoesAMoveMadeMeanwhile() {
        MemoryStore store = new MemoryStore();
        MigrationStateMachine tracker = MigrationStateMachine.resume(store, CLOCK);
        tracker.moveTo(MigrationState.STREAMING, "snapshot done");
        tracker.moveTo(MigrationState.READY_TO_CUT_OVER, "lag low");
        MigrationStateMachine.resume(store, CLOCK).moveTo(MigrationState.STREAMING, "other process");
        MigrationStateMachine cutover = MigrationStateMachine.open(store, CLOCK);
        cutover.moveTo(MigrationState.CUTTING_OVER, "cutover started");
        assertThat(tracker.tryMoveTo(MigrationState.READY_TO_CUT_OVER, MigrationState.STREAMING, "lag grew")).isFalse();
        assertThat(store.saved.state()).isEqualTo(MigrationState.CUTTING_OVER);
    }

    @Test
    void cutOverIsFinal() {
        for (MigrationState s : MigrationState.values()) {
            assertThat(MigrationState.CUT_OVER.canMoveTo(s)).as("cut-over -> " + s).isFalse();
        }
    }

    @Test
    void abortedCutoverReturnsToStreaming() {
        MemoryStore store = new MemoryStore();
        MigrationStateMachine machine = MigrationStateMachine.resume(store, CLOCK);
        machine.moveTo(MigrationState.STREAMING, "snapshot done");
        machine.moveTo(MigrationState.CUTTING_OVER, "cutover started");
        machine.moveTo(MigrationState.STREAMING, "cutover aborted");
        assertThat(store.saved.state()).isEqualTo(MigrationState.STREAMING);
        assertThat(store.saved.reason()).isEqualTo("cutover aborted");
    }

    @ParameterizedTest
    @EnumSource(MigrationState.class)
    void restartInEveryStateResumesWhereDocumented(MigrationState persisted) {
        MemoryStore store = new MemoryStore();
        store.saved = new StateRecord(persisted, "before restart", CLOCK.instant());
        MigrationStateMachine machine = MigrationStateMachine.resume(store, CLOCK);
        MigrationState expected = switch (persisted) {
            case READY_TO_CUT_OVER, CUTTING_OVER -> MigrationState.STREAMING;
            default -> persisted;
        };
        assertThat(machine.state()).isEqualTo(expected);
        assertThat(store.saved.state()).isEqualTo(expected);
        if (expected != persisted) {
            assertThat(machine.current().reason()).contains("restarted while " + persisted.label());
        } else {
            assertThat(machine.current().reason()).isEqualTo("before restart");
        }
    }

    @ParameterizedTest
    @EnumSource(MigrationState.class)
    void afterRestartEveryStateCanStillReachItsNextStates(MigrationState persisted) {
        MemoryStore store = new MemoryStore();
        store.saved = new StateRecord(persisted, "before restart", CLOCK.instant());
        MigrationState resumed = MigrationStateMachine.resume(store, CLOCK).state();
        for (MigrationState target : resumed.next()) {
            MemoryStore copy = new MemoryStore();
            copy.saved = store.saved;
            MigrationStateMachine again = MigrationStateMachine.resume(copy, CLOCK);
            again.moveTo(target, "next");
            assertThat(copy.saved.state()).isEqualTo(target);
        }
    }

    @Test
    void failedAndPausedResumeTheirPipelineStates() {
        assertThat(MigrationState.FAILED.next()).contains(MigrationState.SNAPSHOTTING, MigrationState.STREAMING);
        assertThat(MigrationState.PAUSED.next()).contains(MigrationState.SNAPSHOTTING, MigrationState.STREAMING);
        assertThat(EnumSet.allOf(MigrationState.class)).allMatch(s -> s == MigrationState.CUT_OVER || !s.next().isEmpty());
    }

    @Test
    void labelsRoundTrip() {
        for (MigrationState s : MigrationState.values()) {
            assertThat(MigrationState.fromLabel(s.label())).isEqualTo(s);
        }
        assertThatThrownBy(() -> MigrationState.fromLabel("done")).hasMessageContaining("unknown migration state 'done'");
    }
}
