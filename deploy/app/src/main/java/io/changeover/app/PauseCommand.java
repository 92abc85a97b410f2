package io.changeover.app;

import io.changeover.stages.SpecOption;

import java.time.Clock;
import java.util.concurrent.Callable;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.changeover.control.state.MetadataCollection;
import io.changeover.control.state.MetadataStateStore;
import io.changeover.control.state.MigrationState;
import io.changeover.control.state.MigrationStateMachine;
import io.changeover.transform.spec.MigrationSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Pauses a migration: its `run` stops the pipeline and will not start it again until `run --resume`. */
@Command(name = "pause", description = "Pause a migration: `changeover run` stops its pipeline (nothing is lost: capture"
        + " resumes from its position) and starts it again only with --resume.")
final class PauseCommand implements Callable<Integer> {
    @Mixin
    SpecOption spec;

    @Option(names = "--reason", defaultValue = "paused by an operator", description = "Why, shown by status.")
    String reason;

    @Override
    public Integer call() {
        MigrationSpec migration = spec.load();
        try (MongoClient target = migration.target().isRelational() ? null : MongoClients.create(migration.target().uri())) {
            MigrationStateMachine machine = MigrationStateMachine.open(
                    new MetadataStateStore(MetadataCollection.open(target, migration), migration.name()), Clock.systemUTC());
            machine.moveTo(MigrationState.PAUSED, reason);
            System.out.println("migration " + migration.name() + " paused: " + reason);
            return 0;
        } catch (IllegalStateException e) {
            System.err.println("pause: " + e.getMessage());
            return 1;
        }
    }
}
