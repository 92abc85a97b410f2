package io.changeover.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.changeover.control.state.MetadataCollection;
import io.changeover.control.state.MetadataStateStore;
import io.changeover.control.state.MigrationState;
import io.changeover.control.state.StateRecord;
import io.changeover.embedded.mongo.EmbeddedMongo;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;
import picocli.CommandLine;

/** pause, and run --resume, on the state saved in the target (no pipeline needed). */
class PauseCommandIT {
    @TempDir
    Path dir;

    @Test
    void pauseThenResume() throws Exception {
        try (EmbeddedMongo server = EmbeddedMongo.start(); MongoClient client = MongoClients.create(server.connectionString())) {
            Path specFile = dir.resolve("spec.yaml");
            Files.writeString(specFile, "migration: m\nsource: {uri: \"" + server.connectionString() + "\", database: legacy}\n"
                    + "target: {uri: \"" + server.connectionString() + "\", database: refactored}\n"
                    + "kafka: {bootstrap.servers: \"localhost:1\"}\ncollections:\n  jobs: {into: jobs}\n");
            MigrationSpec spec = SpecLoader.load(specFile);
            MetadataStateStore store = new MetadataStateStore(MetadataCollection.open(client, spec), "m");
            store.save(new StateRecord(MigrationState.STREAMING, "snapshot done", Instant.now()));

            int exit = new CommandLine(new Changeover()).execute("pause", "--spec", specFile.toString(), "--reason", "maintenance");
            assertThat(exit).isZero();
            assertThat(store.load().orElseThrow().state()).isEqualTo(MigrationState.PAUSED);
            assertThat(store.load().orElseThrow().reason()).isEqualTo("maintenance");

            assertThat(RunCommand.savedState(spec, false).state()).isEqualTo(MigrationState.PAUSED);
            StateRecord resumed = RunCommand.savedState(spec, true);
            assertThat(resumed.state()).isEqualTo(MigrationState.SNAPSHOTTING);
            assertThat(store.load().orElseThrow().state()).isEqualTo(MigrationState.SNAPSHOTTING);

            store.save(new StateRecord(MigrationState.CUT_OVER, "done", Instant.now()));
            assertThat(new CommandLine(new Changeover()).execute("pause", "--spec", specFile.toString())).isEqualTo(1);
            assertThat(store.load().orElseThrow().state()).isEqualTo(MigrationState.CUT_OVER);
        }
    }
}
