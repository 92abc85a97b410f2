package io.changeover.app;

import java.util.List;
import java.util.concurrent.Callable;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.changeover.app.pipeline.SpecVerification;
import io.changeover.app.pipeline.VerificationTable;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.verify.CollectionReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Compares the target with the spec applied to the source; exit code 2 on any difference. */
@Command(name = "verify", description = "Compare the target with the spec applied to the source, document by document."
        + " Exit code 2 when anything differs.")
final class VerifyCommand implements Callable<Integer> {
    @Mixin
    SpecOption spec;

    @Option(names = "--numeric-widening", description = "Treat int, long, double and decimal of equal value as equal.")
    boolean numericWidening;

    @Override
    public Integer call() {
        MigrationSpec migration = spec.load();
        try (MongoClient source = MongoClients.create(migration.source().uri());
             MongoClient target = MongoClients.create(migration.target().uri())) {
            List<CollectionReport> reports = SpecVerification.run(migration, source, target, numericWidening);
            VerificationTable.print(reports, System.out);
            long mismatches = SpecVerification.mismatches(reports);
            System.out.println(mismatches == 0 ? "verification passed: 0 mismatches" : "verification FAILED: " + mismatches + " mismatches");
            return mismatches == 0 ? 0 : 2;
        }
    }
}
