package io.changeover.control.replay;

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
        return new MigrationSpec(name, spec.source(), new MigrationSpec.Endpoint(targetUri, database), spec.kafka(),
                spec.capture(), spec.transform(), spec.sink(), spec.collections(), spec.checksum(), spec.origin(),
                spec.canonicalForm());
    }
}
