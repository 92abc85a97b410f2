package io.changeover.app;

import io.changeover.stages.SpecOption;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import org.bson.BsonDocument;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.changeover.control.source.SourceAccess;
import io.changeover.control.pipeline.SpecVerification;
import io.changeover.control.state.MetadataCollection;
import io.changeover.control.pipeline.VerificationTable;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.verify.CollectionReport;
import io.changeover.verify.Reports;
import io.changeover.verify.VerifyOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Compares the target with the spec applied to the source; prints a table, writes a JSON report, stores the result
 * in the target's metadata collection; exit code 2 on any difference.
 */
@Command(name = "verify", description = "Compare the target with the spec applied to the source, document by document."
        + " Exit code 2 when anything differs.")
final class VerifyCommand implements Callable<Integer> {
    @Mixin
    SpecOption spec;

    @Option(names = "--mode", defaultValue = "full", description = "counts, full or sampled (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--sample", paramLabel = "N|P%", description = "With --mode sampled: a number of documents per "
            + "collection (5000) or a percentage (10%).")
    String sample;

    @Option(names = "--seed", defaultValue = "1", description = "Sampling seed: the same seed checks the same documents.")
    long seed;

    @Option(names = "--partitions", defaultValue = "1", description = "_id ranges read and compared in parallel.")
    int partitions;

    @Option(names = "--numeric-widening", description = "Treat int, long, double and decimal of equal value as equal.")
    boolean numericWidening;

    @Option(names = "--recheck-wait", defaultValue = "60", paramLabel = "SECONDS", description = "While writers "
            + "continue: how long to wait for the pipeline to pass the first check's source time before a difference "
            + "is checked again (0: report at once, for a stopped source).")
    long recheckWaitSeconds;

    @Option(names = "--recheck-rounds", defaultValue = "3", description = "Times a difference is checked again.")
    int recheckRounds;

    @Option(names = "--resume", description = "Continue from the checkpoint of an interrupted run with the same options.")
    boolean resume;

    @Option(names = "--no-blobs", description = "Skip the object store checks of blob references.")
    boolean noBlobs;

    @Option(names = "--report", paramLabel = "FILE", description = "JSON report file (default: "
            + "changeover-verify-<migration>.json).")
    Path report;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where sorted spill files go (default: a temp dir).")
    Path workDirectory;

    @Override
    public Integer call() {
        MigrationSpec migration = spec.load();
        VerifyOptions options = options(migration);
        long started = System.currentTimeMillis();
        boolean relational = migration.target().isRelational();
        try (SourceAccess source = SourceAccess.open(migration);
             MongoClient target = relational ? null : MongoClients.create(migration.target().uri())) {
            List<CollectionReport> reports = SpecVerification.run(migration, source.documents(), target, options);
            BsonDocument result = Reports.result(migration.name(), options, reports, started, System.currentTimeMillis());
            Path file = report != null ? report : Path.of("changeover-verify-" + migration.name() + ".json");
            Reports.writeJson(result, file);
            if (relational) {   // the metadata table of a PostgreSQL target (docs/metadata.md)
                MetadataCollection.open(null, migration).put(Reports.RESULT_ID, result);
            } else {
                Reports.store(result, target.getDatabase(migration.target().database()), options.metadataCollection());
            }
            VerificationTable.print(reports, System.out);
            long mismatches = SpecVerification.mismatches(reports);
            System.out.println((mismatches == 0 ? "verification passed: 0 mismatches"
                    : "verification FAILED: " + mismatches + " mismatches") + " (report " + file + ")");
            return mismatches == 0 ? 0 : 2;
        }
    }

    private VerifyOptions options(MigrationSpec migration) {
        VerifyOptions options = SpecVerification.options(migration).withNumericWidening(numericWidening)
                .withPartitions(partitions).withResume(resume)
                .withRecheck(Duration.ofSeconds(recheckWaitSeconds), recheckRounds);
        if (workDirectory != null) {
            options = options.withStorage(options.metadataCollection(), workDirectory, options.batchSize(),
                    options.spillBufferBytes());
        }
        options = switch (mode) {
            case "counts" -> options.withMode(VerifyOptions.Mode.COUNTS);
            case "full" -> options;
            case "sampled" -> sampled(options);
            default -> throw new IllegalArgumentException("--mode must be counts, full or sampled, not '" + mode + "'");
        };
        return noBlobs ? options.withoutBlobChecks() : options;
    }

    private VerifyOptions sampled(VerifyOptions options) {
        if (sample == null || sample.isBlank()) {
            throw new IllegalArgumentException("--mode sampled needs --sample N or --sample P%");
        }
        String s = sample.trim();
        if (s.endsWith("%")) {
            return options.withSample(Double.parseDouble(s.substring(0, s.length() - 1)) / 100.0, 0, seed);
        }
        return options.withSample(-1, Long.parseLong(s), seed);
    }
}
