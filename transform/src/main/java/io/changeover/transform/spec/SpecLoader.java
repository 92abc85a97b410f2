package io.changeover.transform.spec;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.reader.UnicodeReader;

import io.changeover.transform.step.StepRegistry;

/**
 * Loads and validates a migration spec (YAML, format in {@code transform/README.md}). Every step is compiled while
 * loading, so a spec that loads can run. Every error is a {@link SpecException} naming the file, the line, the
 * collection and the step where they apply, and what was expected.
 */
public final class SpecLoader {
    private static final Set<String> TOP_LEVEL =
            Set.of("migration", "source", "target", "kafka", "capture", "transform", "sink", "collections");
    private static final Set<String> ENDPOINT = Set.of("uri", "database");
    private static final Set<String> COLLECTION = Set.of("into", "steps");
    private static final Pattern MIGRATION_NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern DATABASE_NAME = Pattern.compile("[^/\\\\. \"$\\x00]{1,63}");
    private static final Pattern COLLECTION_NAME = Pattern.compile("[^$\\x00]+");

    private final YamlTree tree;
    private final StepRegistry registry;

    private SpecLoader(String origin, StepRegistry registry) {
        this.tree = new YamlTree(origin);
        this.registry = registry;
    }

    /** Loads a spec file with the built-in steps. */
    public static MigrationSpec load(Path file) {
        return load(file, StepRegistry.standard());
    }

    public static MigrationSpec load(Path file, StepRegistry registry) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SpecException("cannot read spec file " + file + ": " + e, e);
        }
        return parse(bytes, file.toString(), registry);
    }

    /** Parses spec text; {@code origin} names it in errors (a file name or "inline"). */
    public static MigrationSpec parse(String yaml, String origin) {
        return parse(yaml.getBytes(StandardCharsets.UTF_8), origin, StepRegistry.standard());
    }

    public static MigrationSpec parse(byte[] yaml, String origin, StepRegistry registry) {
        Node root = compose(yaml, origin);
        return new SpecLoader(origin, registry).read(root, origin, checksum(yaml));
    }

    private static Node compose(byte[] yaml, String origin) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try {
            Node root = new Yaml(options).compose(new UnicodeReader(new ByteArrayInputStream(yaml)));
            if (root == null) {
                throw new SpecException(origin + ": the spec is empty; expected a map with migration, source, target,"
                        + " kafka and collections");
            }
            return root;
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark();
            String line = mark == null ? "" : ":" + (mark.getLine() + 1);
            throw new SpecException(origin + line + ": not valid YAML: " + e.getProblem(), e);
        } catch (YAMLException e) {
            throw new SpecException(origin + ": not valid YAML: " + e.getMessage(), e);
        }
    }

    private MigrationSpec read(Node root, String origin, String checksum) {
        Map<String, Node> top = tree.entries(root, "the spec");
        rejectUnknown(root, top, TOP_LEVEL, "the spec (top level)");
        return new MigrationSpec(
                migrationName(required(root, top, "migration", "the migration name")),
                endpoint(required(root, top, "source", "{uri: ..., database: ...}"), "source"),
                endpoint(required(root, top, "target", "{uri: ..., database: ...}"), "target"),
                kafka(required(root, top, "kafka", "{bootstrap.servers: ...}")),
                settings(top.get("capture"), "capture"),
                settings(top.get("transform"), "transform"),
                settings(top.get("sink"), "sink"),
                collections(required(root, top, "collections", "a map of source collections")),
                checksum, origin);
    }

    private Node required(Node parent, Map<String, Node> entries, String key, String expected) {
        Node node = entries.get(key);
        if (node == null || tree.isNull(node)) {
            throw tree.error(node == null ? parent : node, "missing required key '" + key + "' (expected " + expected + ")");
        }
        return node;
    }

    private String migrationName(Node node) {
        String name = tree.text(node, "the migration name");
        if (!MIGRATION_NAME.matcher(name).matches()) {
            throw tree.error(node, "migration name '" + name + "' must match [A-Za-z0-9_-]+ (it is part of topic names)");
        }
        return name;
    }

    private MigrationSpec.Endpoint endpoint(Node node, String which) {
        Map<String, Node> entries = tree.entries(node, "'" + which + "'");
        rejectUnknown(node, entries, ENDPOINT, "'" + which + "'");
        String uri = tree.text(required(node, entries, "uri", "the " + which + " MongoDB connection string"), which + ".uri");
        Node uriNode = entries.get("uri");
        if (!uri.startsWith("mongodb://") && !uri.startsWith("mongodb+srv://")) {
            throw tree.error(uriNode, which + ".uri must start with mongodb:// or mongodb+srv://, got '" + uri + "'");
        }
        Node dbNode = required(node, entries, "database", "the " + which + " database name");
        String database = tree.text(dbNode, which + ".database");
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw tree.error(dbNode, which + ".database '" + database
                    + "' is not a MongoDB database name (1-63 characters, none of / \\ . space \" $)");
        }
        return new MigrationSpec.Endpoint(uri, database);
    }

    private Map<String, String> kafka(Node node) {
        Map<String, String> properties = new LinkedHashMap<>();
        tree.entries(node, "'kafka'").forEach((key, value) ->
                properties.put(key, tree.text(value, "a value for Kafka property '" + key + "'")));
        if (!properties.containsKey("bootstrap.servers")) {
            throw tree.error(node, "missing required key 'bootstrap.servers' in 'kafka' (expected host:port,...)");
        }
        return properties;
    }

    private Map<String, Object> settings(Node node, String module) {
        Map<String, Object> settings = new LinkedHashMap<>();
        if (node == null || tree.isNull(node)) {
            return settings;
        }
        tree.entries(node, "'" + module + "'").forEach((key, value) -> {
            Object scalar = tree.scalar(value, module + "." + key);
            if (scalar == null) {
                throw tree.error(value, module + "." + key + " has no value; expected a value or no key at all");
            }
            settings.put(key, scalar);
        });
        return settings;
    }

    private List<CollectionSpec> collections(Node node) {
        Map<String, Node> entries = tree.entries(node, "'collections'");
        if (entries.isEmpty()) {
            throw tree.error(node, "'collections' is empty; expected at least one source collection");
        }
        List<CollectionSpec> collections = new ArrayList<>();
        entries.forEach((name, value) -> collections.add(collection(node, name, value)));
        return collections;
    }

    private CollectionSpec collection(Node parent, String name, Node node) {
        String where = "collection '" + name + "'";
        if (!COLLECTION_NAME.matcher(name).matches()) {
            throw tree.error(tree.keys(parent).get(name), where + ": not a MongoDB collection name (non-empty, no $)");
        }
        if (tree.isNull(node)) {
            return new CollectionSpec(name, name, List.of());
        }
        Map<String, Node> entries = tree.entries(node, where);
        rejectUnknown(node, entries, COLLECTION, where);
        String into = name;
        if (entries.containsKey("into")) {
            into = tree.text(entries.get("into"), "the target collection name in " + where);
            if (!COLLECTION_NAME.matcher(into).matches()) {
                throw tree.error(entries.get("into"), where + ": 'into' is not a MongoDB collection name (no $)");
            }
        }
        Node steps = entries.get("steps");
        return new CollectionSpec(name, into, steps == null || tree.isNull(steps) ? List.of() : steps(name, steps));
    }

    private List<StepSpec> steps(String collection, Node node) {
        List<StepSpec> steps = new ArrayList<>();
        int number = 1;
        for (Node item : tree.items(node, "the steps of collection '" + collection + "'")) {
            steps.add(step(collection, number++, item));
        }
        return steps;
    }

    private StepSpec step(String collection, int number, Node item) {
        String where = tree.at(item) + ", collection '" + collection + "', step " + number;
        Map<String, Node> entries;
        try {
            entries = tree.entries(item, "a step");
        } catch (SpecException e) {
            throw new SpecException(where + ": expected a step such as '- rename: {old: new}', got " + YamlTree.kind(item));
        }
        if (entries.size() != 1) {
            throw new SpecException(where + ": expected exactly one step kind per list item, got " + entries.keySet());
        }
        Map.Entry<String, Node> entry = entries.entrySet().iterator().next();
        StepSpec spec = new StepSpec(entry.getKey(), tree.value(entry.getValue()), where + " (" + entry.getKey() + ")");
        registry.compile(spec);
        return spec;
    }

    private void rejectUnknown(Node mapping, Map<String, Node> entries, Set<String> allowed, String where) {
        for (Map.Entry<String, Node> e : entries.entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw tree.error(tree.keys(mapping).get(e.getKey()), "unknown key '" + e.getKey() + "' in " + where + "; expected "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    private static String checksum(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
