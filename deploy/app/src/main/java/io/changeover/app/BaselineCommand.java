package io.changeover.app;

import java.util.concurrent.Callable;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.changeover.schema.SchemaMigrator;
import io.changeover.schema.SchemaVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Adopts an existing database without schema metadata at a given version. */
@Command(name = "baseline", description = "Adopt an existing database that has no schema metadata at version V:"
        + " migrations up to V count as applied.")
final class BaselineCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions db;

    @Option(names = "--version", required = true, description = "The schema version the database is at.")
    String version;

    @Override
    public Integer call() {
        try (MongoClient client = MongoClients.create(db.uri)) {
            new SchemaMigrator(client.getDatabase(db.database), db.uri, db.metadataCollection, DatabaseOptions.toolVersion(),
                    System.out).baseline(new SchemaVersion(version));
            return 0;
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.err.println("baseline: " + e.getMessage());
            return 1;
        }
    }
}
