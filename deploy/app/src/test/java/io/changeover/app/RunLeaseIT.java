package io.changeover.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.changeover.capture.CaptureConfig;
import io.changeover.capture.CaptureLease;
import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.embedded.mongo.EmbeddedMongo;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;
import picocli.CommandLine;

/** `changeover run` holds the capture lease like `changeover capture`: it does not start a second active capture. */
class RunLeaseIT {
    @TempDir
    Path dir;

    @Test
    void runRefusesToStartWhileAnotherCaptureHoldsTheLease() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); EmbeddedMongo server = EmbeddedMongo.start()) {
            Path specFile = dir.resolve("spec.yaml");
            Files.writeString(specFile, "migration: leased\nsource: {uri: \"" + server.connectionString() + "\", database: legacy}\n"
                    + "target: {uri: \"" + server.connectionString() + "\", database: refactored}\n"
                    + "kafka: {bootstrap.servers: \"" + kafka.bootstrapServers() + "\"}\ncollections:\n  jobs: {into: jobs}\n");
            MigrationSpec spec = SpecLoader.load(specFile);
            try (CaptureLease active = CaptureLease.join(spec, CaptureConfig.from(spec), Duration.ofSeconds(6), () -> { })) {
                assertThat(active.awaitHeld(Duration.ofSeconds(60))).as("the other capture holds the lease").isTrue();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                PrintStream original = System.err;
                int exit;
                try {
                    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                    exit = new CommandLine(new Changeover()).execute("run", "--spec", specFile.toString(),
                            "--lease-timeout-seconds", "6");
                } finally {
                    System.setErr(original);
                }

                assertThat(exit).isEqualTo(75);
                assertThat(err.toString(StandardCharsets.UTF_8)).contains("another capture of migration leased is active");
                assertThat(active.held()).as("the active capture keeps its lease").isTrue();
            }
        }
    }
}
