package io.changeover.control.state;

import java.time.Instant;

/**
 * The persisted state of a migration.
 *
 * @param state  where the migration is
 * @param reason why it moved there (shown by status)
 * @param since  when it moved there
 */
public record StateRecord(MigrationState state, String reason, Instant since) {
}
