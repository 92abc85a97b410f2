package io.changeover.demo.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.changeover.stages.Stages;

/**
 * What a stage process runs from, as users run one: the stages jar, whose manifest names its dependencies beside it
 * (nothing of the control plane, the demo or the in-JVM servers), plus the migration's own Java steps, here the demo
 * spec's step from the demo jar.
 *
 * @param stagesJar the {@code changeover-stages} jar, in a directory with its dependencies
 * @param steps     jars holding the spec's {@code java:} step classes
 */
public record StageClasspath(Path stagesJar, List<Path> steps) {
    public StageClasspath {
        if (!Files.isRegularFile(stagesJar)) {
            throw new IllegalStateException("no stages jar at " + stagesJar.toAbsolutePath());
        }
        steps = List.copyOf(steps);
    }

    /** The stages jar and the demo's steps in a directory of the application's dependencies ({@code target/lib}). */
    public static StageClasspath inLibrary(Path lib) {
        return new StageClasspath(find(lib, "changeover-stages-"), List.of(find(lib, "changeover-demo-")));
    }

    /** The library this application runs from: the directory its stages jar was loaded from. */
    public static StageClasspath ofThisApplication() {
        Path location;
        try {
            location = Path.of(Stages.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot tell where the stages were loaded from: " + e.getMessage(), e);
        }
        if (!Files.isRegularFile(location)) {
            throw new IllegalStateException("stage processes start from the stages jar beside its dependencies; this runs"
                    + " the stages from " + location + ": use deploy/changeover");
        }
        return inLibrary(location.getParent());
    }

    /** The java command's class path option and main class. */
    List<String> javaArguments() {
        List<String> entries = new ArrayList<>();
        entries.add(stagesJar.toAbsolutePath().toString());
        steps.forEach(p -> entries.add(p.toAbsolutePath().toString()));
        return List.of("-cp", String.join(java.io.File.pathSeparator, entries), Stages.class.getName());
    }

    private static Path find(Path lib, String prefix) {
        try (Stream<Path> files = Files.list(lib)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + prefix + "*.jar in " + lib.toAbsolutePath()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + lib, e);
        }
    }
}
