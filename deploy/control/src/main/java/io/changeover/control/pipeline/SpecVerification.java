package io.changeover.control.pipeline;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;

import io.changeover.sink.PositionGuard;
import io.changeover.transform.spec.PostgresConnections;
import io.changeover.sink.SinkConfig;
import io.changeover.transform.TransformConfig;
import io.changeover.transform.blob.ObjectStore;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.spec.CollectionSpec;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.RouteSpec;
import io.changeover.transform.spec.StepSpec;
import io.changeover.verify.CollectionReport;
import io.changeover.verify.ExpectedSpecStrategy;
import io.changeover.verify.Verifier;
import io.changeover.verify.VerifyOptions;
import io.changeover.verify.relational.RelationalVerifier;

/**
 * Runs the verifier over every target collection of a spec, with the transform's pure functions
 * ({@link ExpectedSpecStrategy}), the spec's object store for blob checks, and the sink's metadata collection for
 * checkpoints and the sink's applied positions.
 */
public final class SpecVerification {
    private SpecVerification() {
    }

    /** A full, offline verification (no rechecks): for a stopped pipeline, cutover and the demo. */
    public static List<CollectionReport> run(MigrationSpec spec, MongoClient source, MongoClient target,
                                             boolean numericWidening) {
        return run(spec, source, target, options(spec).withNumericWidening(numericWidening));
    }

    public static List<CollectionReport> run(MigrationSpec spec, MongoClient source, MongoClient target,
                                             VerifyOptions options) {
        if (spec.target().isRelational()) {
            return relational(spec, source);
        }
        CompiledSpec compiled = CompiledSpec.compile(spec);
        MongoDatabase sourceDb = source.getDatabase(spec.source().database());
        try (ObjectStore blobs = hasBlobs(spec) ? TransformConfig.of(spec).objectStore().open() : null) {
            Verifier verifier = new Verifier(sourceDb, target.getDatabase(spec.target().database()), options, blobs);
            return verifier.verify(ExpectedSpecStrategy.of(compiled, sourceDb));
        }
    }

    /**
     * A full verification of a PostgreSQL target, table by table and child row by child row
     * ({@link RelationalVerifier}); the options' modes and rechecks do not apply to it yet.
     */
    public static List<CollectionReport> relational(MigrationSpec spec, MongoClient source) {
        CompiledSpec compiled = CompiledSpec.compile(spec);
        MongoDatabase sourceDb = source.getDatabase(spec.source().database());
        List<ExpectedSpecStrategy> strategies = ExpectedSpecStrategy.of(compiled, sourceDb).stream()
                .map(ExpectedSpecStrategy.class::cast).toList();
        PostgresConnections connections = new PostgresConnections(spec.target().uri());
        try (Connection target = connections.open()) {
            return new RelationalVerifier(sourceDb, target, spec.target().relational()).verify(strategies);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot verify the PostgreSQL target " + connections + ": " + e.getMessage()
                    + " (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }

    /** The defaults for {@code spec}: full, offline, the sink's metadata collection, the sink's field ignored. */
    public static VerifyOptions options(MigrationSpec spec) {
        VerifyOptions defaults = VerifyOptions.defaults();
        if (!defaults.ignoredFields().contains(PositionGuard.FIELD)) {
            throw new IllegalStateException("the verifier must ignore the sink's position field " + PositionGuard.FIELD);
        }
        return defaults.withStorage(SinkConfig.from(spec).metadataCollection(),
                defaults.workDirectory().resolve(spec.name()), defaults.batchSize(), defaults.spillBufferBytes());
    }

    public static long mismatches(List<CollectionReport> reports) {
        return reports.stream().mapToLong(CollectionReport::mismatches).sum();
    }

    private static boolean hasBlobs(MigrationSpec spec) {
        for (CollectionSpec c : spec.collections()) {
            if (c.steps().stream().anyMatch(SpecVerification::isBlobStep) || c.routes().stream()
                    .map(RouteSpec::steps).flatMap(List::stream).anyMatch(SpecVerification::isBlobStep)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isBlobStep(StepSpec step) {
        return "dehydrate".equals(step.kind());
    }
}
