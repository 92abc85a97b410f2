package io.changeover.app.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/** docs/configuration.md is generated from the config definitions; this fails when the committed page drifts. */
class ConfigReferenceTest {
    private static final Path PAGE = Path.of("../../docs/configuration.md");

    @Test
    void committedReferenceMatchesTheDefinitions() throws Exception {
        String generated = ConfigReference.markdown();
        assertThat(Files.readString(PAGE, StandardCharsets.UTF_8))
                .as("docs/configuration.md is stale: regenerate it with `deploy/changeover config-docs > docs/configuration.md`")
                .isEqualTo(generated);
    }

    @Test
    void everyKeyOfEveryModuleIsDocumented() {
        String generated = ConfigReference.markdown();
        ConfigReference.sections().forEach((section, def) -> {
            for (ConfigDef.ConfigKey key : def.configKeys().values()) {
                assertThat(key.documentation).as(section + "." + key.name + " has a description").isNotBlank();
                assertThat(generated).contains("| `" + key.name + "` |");
            }
        });
    }
}
