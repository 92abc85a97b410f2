package io.changeover.control.replay;

import io.changeover.transform.spec.ConnectionStrings;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.topics.Topics;

/**
 * The migration a replay runs: the live spec (its steps possibly changed) under the name
 * {@code <migration>-replay-<version>}, writing to another target. The name gives the replay its own raw copies,
 * output topics, transform application id (one per spec version) and sink group, all from {@link Topics}.
 */
public final class ReplaySpec {
    private ReplaySpec() {
    }

    /** The spec version a replay is named by when none is given: the first 12 hex digits of the spec's checksum. */
    public static String defaultVersion(MigrationSpec spec) {
        return spec.checksum().substring(0, Math.min(12, spec.checksum().length()));
    }

    /**
     * @param spec      the spec to replay (the live one, or a changed version of it with the same migration name)
     * @param version   spec version; part of the replay's name
     * @param targetUri the replay's target deployment
     * @param database  the replay's target database
     */
    public static MigrationSpec of(MigrationSpec spec, String version, String targetUri, String database) {
        String name = Topics.of(spec.name() + "-replay-" + version).migration();
        return new MigrationSpec(name, spec.source(), target(spec, targetUri, database), spec.kafka(),
                spec.capture(), spec.transform(), spec.sink(), spec.collections(), spec.checksum(), spec.origin(),
                spec.canonicalForm());
    }

    /**
     * The replay's target: a MongoDB database, or a PostgreSQL database (the URI's) written with the spec's
     * {@code target.tables}, which a spec for a MongoDB target does not have.
     */
    private static MigrationSpec.Endpoint target(MigrationSpec spec, String targetUri, String database) {
        if (!targetUri.startsWith("postgresql://") && !targetUri.startsWith("postgres://")) {
            return new MigrationSpec.Endpoint(targetUri, database);
        }
        if (!spec.target().isRelational()) {
            throw new IllegalArgumentException("cannot replay into PostgreSQL " + ConnectionStrings.redact(targetUri)
                    + ": the spec declares no target.tables (its target is MongoDB)");
        }
        String named = ConnectionStrings.postgresDatabase(targetUri);
        if (named.isEmpty()) {
            throw new IllegalArgumentException("the replay's target URI " + ConnectionStrings.redact(targetUri)
                    + " names no database; expected postgresql://user@host:port/database");
        }
        return new MigrationSpec.Endpoint(targetUri, named, spec.target().relational());
    }
}
