package io.changeover.control.state;

/** A state change the migration's state machine does not allow (for example cut-over back to streaming). */
public final class IllegalTransitionException extends IllegalStateException {
    public IllegalTransitionException(MigrationState from, MigrationState to) {
        super("migration cannot move from " + from + " to " + to + "; allowed from " + from + ": " + from.next());
    }
}
