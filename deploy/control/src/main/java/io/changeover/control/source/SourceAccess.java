package io.changeover.control.source;

import com.mongodb.client.MongoClient;

import io.changeover.control.lag.SourceClock;
import io.changeover.transform.spec.MigrationSpec;

/**
 * What the control plane reads from and writes to a migration's source: its clock (lag), its collections' estimated
 * sizes (snapshot progress), the cutover's fence, and its documents as the verifier reads them.
 * {@link MongoSourceAccess} for a MongoDB replica set, {@link PostgresSourceAccess} for PostgreSQL.
 */
public interface SourceAccess extends SourceClock, AutoCloseable {
    /** The access to {@code spec}'s source; connects lazily where it can. */
    static SourceAccess open(MigrationSpec spec) {
        return spec.source().isPostgres() ? new PostgresSourceAccess(spec) : new MongoSourceAccess(spec);
    }

    /** The estimated number of documents of a source collection. */
    long estimatedCount(String collection);

    /**
     * Writes the cutover's fence marker {@code id}: a write capture sees like any other, so once capture's position
     * passes {@link #latest()} read after it, every write before the fence is captured.
     */
    void writeFence(String id);

    /** What an operator should know about the source's side of the migration now (status shows them as warnings). */
    default java.util.List<String> warnings() {
        return java.util.List.of();
    }

    /** What {@link #writeFence} writes for {@code spec}, for the cutover's plan (no connection needed). */
    static String fenceDescription(MigrationSpec spec) {
        return spec.source().isPostgres() ? PostgresSourceAccess.fenceDescription() : MongoSourceAccess.fenceDescription(spec);
    }

    /**
     * The source's documents as the verifier reads them, in the database named by the spec's source: a MongoDB
     * source itself; for PostgreSQL a consistent copy of its tables taken now (each call takes a new one).
     */
    MongoClient documents();

    @Override
    void close();
}
