package io.changeover.control.cutover;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import io.changeover.sink.relational.ForeignKeys;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.PostgresConnections;
import io.changeover.transform.spec.RelationalTarget;

/**
 * After the final verification, for a PostgreSQL target that declares foreign keys ({@code references:}): adds them
 * and validates every row ({@link ForeignKeys}). Rows that name no referenced row abort the cutover, named.
 */
public final class ForeignKeysStage implements CutoverStage {

    /** Whether {@code spec}'s target declares foreign keys: only then is this stage part of the cutover. */
    public static boolean applies(MigrationSpec spec) {
        return spec.target().isRelational()
                && spec.target().relational().tables().stream().anyMatch(t -> !t.references().isEmpty());
    }

    @Override
    public String name() {
        return "foreign keys";
    }

    @Override
    public String describe(CutoverContext context) {
        RelationalTarget target = context.spec().target().relational();
        return "add the declared foreign keys and validate every row: " + target.tables().stream()
                .flatMap(t -> t.references().stream().map(r -> ForeignKeys.describe(t, r,
                        target.table(r.collection()).orElseThrow())))
                .collect(Collectors.joining(", "));
    }

    @Override
    public String readiness(CutoverContext context) {
        return "runs after the final verification";
    }

    @Override
    public Duration timeout(CutoverOptions options) {
        return options.verifyTimeout();
    }

    @Override
    public String run(CutoverContext context, Deadline deadline) {
        PostgresConnections connections = new PostgresConnections(context.spec().target().uri(), "changeover-cutover");
        try (Connection connection = connections.open()) {
            List<String> done = ForeignKeys.apply(connection, context.spec().target().relational());
            return String.join("; ", done);
        } catch (ForeignKeys.Violation e) {
            throw new CutoverAbort("a foreign key does not hold: " + e.getMessage());
        } catch (SQLException e) {
            throw new CutoverAbort("cannot add the foreign keys on " + connections + ": " + e.getMessage()
                    + " (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }

}
