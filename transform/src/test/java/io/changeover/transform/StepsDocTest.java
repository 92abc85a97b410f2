package io.changeover.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.spec.SpecLoader;
import io.changeover.transform.step.StepRegistry;

/** Keeps {@code docs/steps.md} in sync with the parser: every kind documented, every example loads. */
class StepsDocTest {
    private static final Path PAGE = Path.of("../docs/steps.md");
    private static final Pattern SECTION = Pattern.compile("(?m)^## `([a-z-]+)`$");
    private static final Pattern EXAMPLE = Pattern.compile("(?s)```yaml\n(.*?)```");
    private static final String HEADER = """
            migration: docs
            source: {uri: "mongodb://localhost:27017", database: legacy}
            target: {uri: "mongodb://localhost:27018", database: refactored}
            kafka: {bootstrap.servers: "localhost:9092"}
            collections:
              genes:
              parents:
              users:
              jobs:
                steps:
            """;

    @Test
    void everyRegisteredStepKindHasASectionWithAnExampleAndNoOtherKindIsDocumented() throws IOException {
        String page = Files.readString(PAGE);
        Set<String> documented = new TreeSet<>();
        Matcher m = SECTION.matcher(page);
        List<Integer> starts = new ArrayList<>();
        while (m.find()) {
            documented.add(m.group(1));
            starts.add(m.start());
        }
        assertThat(documented).as("step kinds with a '## `kind`' section in docs/steps.md (add one for a new step)")
                .isEqualTo(new TreeSet<>(StepRegistry.standard().kinds()));
        for (int i = 0; i < starts.size(); i++) {
            String section = page.substring(starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) : page.length());
            assertThat(section).as("section %s has a yaml example", section.lines().findFirst().orElse("")).contains("```yaml");
        }
    }

    @Test
    void everyExampleLoadsAndCompiles() throws IOException {
        Matcher m = EXAMPLE.matcher(Files.readString(PAGE));
        int examples = 0;
        while (m.find()) {
            String block = m.group(1);
            String yaml = block.startsWith("migration:") ? block
                    : HEADER + block.lines().map(line -> "      " + line).reduce("", (a, b) -> a + b + "\n");
            String origin = "docs/steps.md example " + ++examples;
            assertThatCode(() -> CompiledSpec.compile(SpecLoader.parse(yaml, origin))).as(origin + ":\n" + block)
                    .doesNotThrowAnyException();
        }
        assertThat(examples).isGreaterThanOrEqualTo(StepRegistry.standard().kinds().size());
    }
}
