package io.changeover.app.docs;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;

import io.changeover.capture.CaptureConfig;
import io.changeover.sink.SinkConfig;
import io.changeover.transform.TransformConfig;

/**
 * Generates {@code docs/configuration.md} from the modules' config definitions, so the reference cannot drift from
 * the code ({@code ConfigReferenceTest} fails when the committed page differs; {@code changeover config-docs} prints it).
 */
public final class ConfigReference {
    private ConfigReference() {
    }

    /** Section name in the spec file -> its definition, in pipeline order. */
    public static Map<String, ConfigDef> sections() {
        Map<String, ConfigDef> sections = new LinkedHashMap<>();
        sections.put("capture", CaptureConfig.configDef());
        sections.put("transform", TransformConfig.configDef());
        sections.put("sink", SinkConfig.configDef());
        return sections;
    }

    public static String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Configuration reference\n\n")
          .append("Generated from the config definitions by `deploy/changeover config-docs`; do not edit by hand.\n\n")
          .append("Each section is a map in the migration spec (`capture:`, `transform:`, `sink:`). Kafka client ")
          .append("properties go in the spec's `kafka:` map and apply to every stage. Unknown keys and invalid values ")
          .append("stop the program at start-up with the key named.\n");
        sections().forEach((name, def) -> section(md, name, def));
        return md.toString();
    }

    private static void section(StringBuilder md, String name, ConfigDef def) {
        md.append("\n## `").append(name).append("`\n\n")
          .append("| key | type | default | valid values | description |\n")
          .append("| --- | --- | --- | --- | --- |\n");
        for (ConfigDef.ConfigKey key : def.configKeys().values()) {
            md.append("| `").append(key.name).append("` | ")
              .append(key.type.toString().toLowerCase()).append(" | ")
              .append(defaultValue(key)).append(" | ")
              .append(key.validator == null ? "" : cell(key.validator.toString())).append(" | ")
              .append(cell(key.documentation)).append(" |\n");
        }
    }

    private static String defaultValue(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
        }
        if (key.defaultValue == null) {
            return "null";
        }
        String value = ConfigDef.convertToString(key.defaultValue, key.type);
        return value.isEmpty() ? "\"\"" : "`" + value + "`";
    }

    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
    }
}
