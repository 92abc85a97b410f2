package io.changeover.schema;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.mongodb.client.MongoDatabase;

import io.changeover.transform.engine.CompiledSpec;

/**
 * Brings a database's schema up to the newest migration of a directory: checks the applied history against the
 * files (a changed checksum refuses, {@link #repair} records a deliberate change), then applies the pending
 * migrations in order, recording each. A database with data but no schema metadata is refused: adopt it with
 * {@link #baseline}, so nobody guesses whether a database is new.
 */
public final class SchemaMigrator {
    private final MongoDatabase database;
    private final String uri;
    private final SchemaHistory history;
    private final String metadataCollection;
    private final String toolVersion;
    private final PrintStream out;

    public SchemaMigrator(MongoDatabase database, String uri, String metadataCollection, String toolVersion, PrintStream out) {
        this.database = database;
        this.uri = uri;
        this.metadataCollection = metadataCollection;
        this.history = new SchemaHistory(database.getCollection(metadataCollection, org.bson.BsonDocument.class));
        this.toolVersion = toolVersion;
        this.out = out;
    }

    public SchemaHistory history() {
        return history;
    }

    /** Applies (or with {@code dryRun} counts) the pending migrations; returns the per-step counts. */
    public List<List<StepCounts>> migrate(List<SchemaMigration> migrations, boolean dryRun) {
        SchemaVersion current = startingVersion();
        checkApplied(migrations);
        List<SchemaMigration> pending = migrations.stream().filter(m -> m.version().compareTo(current) > 0).toList();
        out.println("database " + database.getName() + " is at schema version " + current + "; " + pending.size()
                + " pending migration(s)" + (dryRun ? " (dry run: nothing is written; each step is counted against the"
                + " current documents)" : ""));
        List<List<StepCounts>> all = new ArrayList<>();
        for (SchemaMigration m : pending) {
            CompiledSpec compiled = DocumentRewriter.compile(m, uri, database.getName());
            List<StepCounts> counts = DocumentRewriter.apply(compiled, database, dryRun);
            if (!dryRun) {
                history.record(m, counts, toolVersion);
            }
            long changes = counts.stream().mapToLong(StepCounts::changes).sum();
            out.printf("  V%s %s: %s %,d document(s)%n", m.version(), m.name(), dryRun ? "would change" : "changed", changes);
            counts.forEach(c -> out.println("      " + c));
            all.add(counts);
        }
        if (!dryRun && !pending.isEmpty()) {
            out.println("database " + database.getName() + " is now at schema version " + pending.get(pending.size() - 1).version());
        }
        return all;
    }

    /** Adopts a database that has no schema metadata at {@code version}. */
    public void baseline(SchemaVersion version) {
        Optional<SchemaVersion> current = history.current();
        if (current.isPresent()) {
            throw new IllegalStateException("database " + database.getName() + " already has schema metadata (version "
                    + current.get() + "); baseline is only for a database without it");
        }
        history.baseline(version, toolVersion);
        out.println("database " + database.getName() + " adopted at schema version " + version
                + ": migrations up to it count as applied");
    }

    /** Records the current checksums of applied migrations whose files were changed deliberately. */
    public int repair(List<SchemaMigration> migrations) {
        Map<String, SchemaMigration> byVersion = migrations.stream()
                .collect(Collectors.toMap(m -> m.version().text(), Function.identity()));
        int repaired = 0;
        for (SchemaHistory.Applied a : history.applied()) {
            SchemaMigration file = byVersion.get(a.version().text());
            if (file != null && !file.checksum().equals(a.checksum())) {
                history.repairChecksum(a, file.checksum());
                out.println("  V" + a.version() + " " + a.name() + ": recorded checksum " + a.checksum() + " -> " + file.checksum());
                repaired++;
            }
        }
        out.println(repaired == 0 ? "nothing to repair: every applied migration matches its file" : repaired + " checksum(s) repaired");
        return repaired;
    }

    private SchemaVersion startingVersion() {
        Optional<SchemaVersion> current = history.current();
        if (current.isPresent()) {
            return current.get();
        }
        List<String> data = new ArrayList<>();
        database.listCollectionNames().forEach(name -> {
            if (!name.equals(metadataCollection) && database.getCollection(name).estimatedDocumentCount() > 0) {
                data.add(name);
            }
        });
        if (!data.isEmpty()) {
            throw new IllegalStateException("database " + database.getName() + " has data (" + String.join(", ", data)
                    + ") but no schema metadata: adopt it explicitly with `changeover baseline --version V`");
        }
        return SchemaVersion.NONE;
    }

    private void checkApplied(List<SchemaMigration> migrations) {
        Map<String, SchemaMigration> byVersion = migrations.stream()
                .collect(Collectors.toMap(m -> m.version().text(), Function.identity()));
        for (SchemaHistory.Applied a : history.applied()) {
            SchemaMigration file = byVersion.get(a.version().text());
            if (file == null) {
                throw new IllegalStateException("migration V" + a.version() + " " + a.name()
                        + " was applied but its file is missing from the directory");
            }
            if (!file.checksum().equals(a.checksum())) {
                throw new IllegalStateException("migration " + file.file().getFileName() + " changed after it was applied"
                        + " (checksum " + a.checksum() + " -> " + file.checksum()
                        + "): restore it, or record a deliberate change with `changeover repair`");
            }
        }
    }
}
