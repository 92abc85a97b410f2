package io.changeover.control.lag;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;

import io.changeover.transform.format.SourcePosition;

/**
 * A PostgreSQL source's clock: the commit time of its latest transaction ({@code pg_last_committed_xact()}, which
 * needs {@code track_commit_timestamp = on}), else the server's current time. Positions of a PostgreSQL source are
 * commit times ({@link SourcePosition#ofEpochMicros}), and capture's position moves with the heartbeat row it updates
 * every heartbeat interval: with commit timestamps tracked an idle source reads zero lag once that row is captured;
 * without, the capture lags by up to one heartbeat interval.
 */
public final class PostgresSourceClock implements SourceClock {
    private static final String LATEST = "SELECT CASE WHEN current_setting('track_commit_timestamp') = 'on'"
            + " THEN COALESCE((pg_last_committed_xact()).timestamp, now()) ELSE clock_timestamp() END";
    private final PostgresSession session;

    public PostgresSourceClock(PostgresSession session) {
        this.session = session;
    }

    @Override
    public SourcePosition latest() {
        try {
            return session.run(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(LATEST)) {
                    rs.next();
                    OffsetDateTime at = rs.getObject(1, OffsetDateTime.class);
                    return SourcePosition.ofEpochMicros(ChronoUnit.MICROS.between(java.time.Instant.EPOCH,
                            at.toInstant()));
                }
            });
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the clock of PostgreSQL source " + session + ": "
                    + e.getMessage(), e);
        }
    }
}
