package io.changeover.capture;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

import io.changeover.transform.spec.MigrationSpec;

/**
 * What capture does differently for one kind of source: the Debezium connector and its properties, how its events
 * read ({@link SourceDialect}), what is prepared on the source before the engine starts, and what watches it while
 * capture runs. {@link MongoCaptureSource} for a MongoDB replica set, {@link PostgresCaptureSource} for PostgreSQL.
 */
public interface CaptureSource extends AutoCloseable {
    /** The capture source of {@code spec}'s source endpoint. */
    static CaptureSource of(MigrationSpec spec, CaptureConfig config) {
        return spec.source().isPostgres() ? new PostgresCaptureSource(spec, config) : new MongoCaptureSource(spec, config);
    }

    /** The spec's collections as the source names them. */
    List<SourceCollection> collections();

    /**
     * Connects, prepares what the connector needs on the source, and reads each collection's estimated size.
     * Throws {@link CaptureException} naming what is missing or refused.
     */
    Map<SourceCollection, Long> open();

    /** Properties for {@code DebeziumEngine.Builder#using(Properties)}; after {@link #open()}. */
    Properties engineProperties();

    /** How this source's events read; one per capture. */
    SourceDialect dialect();

    /** What to do with a change whose document is too large for its event; after {@link #open()}. */
    LargeDocumentStrategy largeDocuments();

    /** Starts watching the source for what ends a capture (a captured collection dropped); {@code stop} says why. */
    void watch(Consumer<String> stop);

    /** Stops watching and disconnects. Idempotent. */
    @Override
    void close();
}
