package io.changeover.stages;

import java.nio.file.Path;

import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;
import io.changeover.transform.step.StepRegistry;
import picocli.CommandLine.Option;

/** The {@code --spec FILE} option shared by the commands that act on one migration. */
public final class SpecOption {
    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The migration spec (YAML).")
    Path file;

    public MigrationSpec load() {
        return SpecLoader.load(file, StepRegistry.standard());
    }
}
