package io.changeover.app;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.changeover.capture.PostgresReplicationCleanup;
import io.changeover.control.state.MetadataCollection;
import io.changeover.control.state.MetadataStateStore;
import io.changeover.control.state.MigrationState;
import io.changeover.control.state.StateRecord;
import io.changeover.stages.SpecOption;
import io.changeover.transform.spec.MigrationSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Removes what capture created on the source once the migration is over (docs/postgres-source.md). */
@Command(name = "cleanup", description = "Remove what capture created on the source once the migration is cut over:"
        + " on PostgreSQL the replication slot (it holds the source's WAL until dropped), the publication and the"
        + " migration's heartbeat row. A MongoDB source has nothing to remove.")
final class CleanupCommand implements Callable<Integer> {
    @Mixin
    SpecOption spec;

    @Option(names = "--force", description = "Clean up even though the migration is not cut over: a capture started"
            + " later must snapshot again.")
    boolean force;

    @Override
    public Integer call() {
        MigrationSpec migration = spec.load();
        if (!migration.source().isPostgres()) {
            System.out.println("cleanup: the MongoDB source of " + migration.name() + " holds nothing of Changeover's");
            return 0;
        }
        Optional<MigrationState> state = state(migration);
        if (!force && state.filter(MigrationState.CUT_OVER::equals).isEmpty()) {
            System.err.println("cleanup: migration " + migration.name() + " is " + state.map(MigrationState::label)
                    .orElse("not started") + ", not cut over: dropping its replication slot would lose the changes"
                    + " capture has not read (--force to drop anyway)");
            return 1;
        }
        List<String> dropped = PostgresReplicationCleanup.drop(migration);
        System.out.println(dropped.isEmpty() ? "cleanup: nothing of " + migration.name() + " left on the source"
                : "cleanup: dropped " + String.join(", ", dropped));
        return 0;
    }

    private static Optional<MigrationState> state(MigrationSpec migration) {
        try (MongoClient target = migration.target().isRelational() ? null
                : MongoClients.create(migration.target().uri())) {
            return new MetadataStateStore(MetadataCollection.open(target, migration), migration.name()).load()
                    .map(StateRecord::state);
        }
    }
}
