package io.changeover.control.state;

import java.time.Clock;
import java.util.Optional;

/**
 * The migration's state: validates every transition and saves it to a {@link StateStore} before reporting it, so a
 * restarted process knows where it is ({@link #resume}).
 */
public final class MigrationStateMachine {
    private final StateStore store;
    private final Clock clock;
    private StateRecord current;

    private MigrationStateMachine(StateStore store, Clock clock, StateRecord current) {
        this.store = store;
        this.clock = clock;
        this.current = current;
    }

    /**
     * Opens the state machine of a migration: a new one starts snapshotting; a persisted one resumes where
     * {@link MigrationState#afterRestart()} says, and the resumed state is saved.
     */
    public static MigrationStateMachine resume(StateStore store, Clock clock) {
        Optional<StateRecord> saved = store.load();
        StateRecord start;
        if (saved.isEmpty()) {
            start = new StateRecord(MigrationState.SNAPSHOTTING, "new migration", clock.instant());
        } else if (saved.get().state().afterRestart() != saved.get().state()) {
            StateRecord s = saved.get();
            start = new StateRecord(s.state().afterRestart(), "restarted while " + s.state() + ": " + s.reason(), clock.instant());
        } else {
            start = saved.get();
        }
        store.save(start);
        return new MigrationStateMachine(store, clock, start);
    }

    /** Reads the saved state again (another process may have moved it) and returns it. */
    public synchronized StateRecord reload() {
        store.load().ifPresent(saved -> current = saved);
        return current;
    }

    /**
     * Opens the saved state as it is, for a process that acts on a migration another process runs (a cutover);
     * fails when the migration never saved a state.
     */
    public static MigrationStateMachine open(StateStore store, Clock clock) {
        StateRecord saved = store.load().orElseThrow(() -> new IllegalStateException(
                "the migration has no state in the target's metadata: start it with `changeover run` first"));
        return new MigrationStateMachine(store, clock, saved);
    }

    public synchronized StateRecord current() {
        return current;
    }

    public synchronized MigrationState state() {
        return current.state();
    }

    /**
     * Moves to {@code target}; staying in the current state is a no-op. Throws on a transition not allowed. The saved
     * state is read first, so a move made by another process (a cutover) is seen.
     */
    public synchronized StateRecord moveTo(MigrationState target, String reason) {
        reload();
        if (target == current.state()) {
            return current;
        }
        if (!current.state().canMoveTo(target)) {
            throw new IllegalTransitionException(current.state(), target);
        }
        StateRecord next = new StateRecord(target, reason, clock.instant());
        store.save(next);
        current = next;
        return next;
    }

    /**
     * Moves from {@code expected} to {@code target} when the saved state is still {@code expected} and the move is
     * allowed; returns whether it did (used by observers that follow the pipeline, so they never undo a move another
     * party made meanwhile).
     */
    public synchronized boolean tryMoveTo(MigrationState expected, MigrationState target, String reason) {
        reload();
        if (current.state() != expected || target == current.state()) {
            return false;
        }
        if (!current.state().canMoveTo(target)) {
            return false;
        }
        moveTo(target, reason);
        return true;
    }
}
