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

/** Records deliberate changes to applied migration files (their new checksums). */
@Command(name = "repair", description = "Record the current checksums of applied migrations whose files were changed"
        + " deliberately (the documents are not touched).")
final class RepairCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions db;

    @Option(names = "--dir", required = true, description = "Directory of migration specs.")
    Path dir;

    @Override
    public Integer call() {
        try (MongoClient client = MongoClients.create(db.uri)) {
            new SchemaMigrator(client.getDatabase(db.database), db.uri, db.metadataCollection, DatabaseOptions.toolVersion(),
                    System.out).repair(SchemaMigrationDirectory.load(dir));
            return 0;
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.err.println("repair: " + e.getMessage());
            return 1;
        }
    }
}
