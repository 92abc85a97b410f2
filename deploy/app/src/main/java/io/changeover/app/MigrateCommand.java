package io.changeover.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.changeover.schema.SchemaMigrationDirectory;
import io.changeover.schema.SchemaMigrator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Applies the pending migration specs of a directory to a database, in version order; see docs/schema-versions.md. */
@Command(name = "migrate", description = "Apply the pending V<version>__<name>.yaml migrations of a directory to a database,"
        + " in order, recording each in its metadata. Exit 1 when refused (changed checksum, unadopted data).")
final class MigrateCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions db;

    @Option(names = "--dir", required = true, description = "Directory of migration specs.")
    Path dir;

    @Option(names = "--dry-run", description = "Report per step how many documents it would change; write nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        try (MongoClient client = MongoClients.create(db.uri)) {
            new SchemaMigrator(client.getDatabase(db.database), db.uri, db.metadataCollection, DatabaseOptions.toolVersion(),
                    System.out).migrate(SchemaMigrationDirectory.load(dir), dryRun);
            return 0;
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.err.println("migrate: " + e.getMessage());
            return 1;
        }
    }
}
