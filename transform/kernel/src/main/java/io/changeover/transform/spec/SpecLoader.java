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
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.reader.UnicodeReader;

import io.changeover.transform.canonical.CanonicalForm;
import io.changeover.transform.query.BsonConversion;
import io.changeover.transform.query.Filter;

/**
 * Loads and validates a migration spec (YAML, format in {@code transform/README.md}). Given the transform's step
 * registry as its {@link StepCheck}, every step is compiled while loading, so a spec that loads can run; without one
 * (a stage that does not transform), the structure is checked and the steps are left to the transform. Every error is a {@link SpecException} naming the file, the line, the
 * collection and the step where they apply, and what was expected.
 */
public final class SpecLoader {
    private static final Set<String> TOP_LEVEL =
            Set.of("migration", "source", "target", "kafka", "capture", "transform", "sink", "collections", "canonical");
    private static final Set<String> ENDPOINT = Set.of("uri", "database");
    private static final Set<String> RELATIONAL_ENDPOINT = Set.of("uri", "database", "tables");
    private static final Set<String> COLLECTION = Set.of("into", "steps", "routes");
    private static final Set<String> ROUTE = Set.of("into", "when", "steps");
    private static final Pattern MIGRATION_NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern DATABASE_NAME = Pattern.compile("[^/\\\\. \"$\\x00]{1,63}");
    private static final Pattern COLLECTION_NAME = Pattern.compile("[^$\\x00]+");

    private final YamlTree tree;
    private final StepCheck steps;

    private SpecLoader(String origin, StepCheck steps) {
        this.tree = new YamlTree(origin);
        this.steps = steps;
    }

    /** Loads a spec file, checking its structure; its steps are checked when the transform compiles it. */
    public static MigrationSpec load(Path file) {
        return load(file, StepCheck.NONE);
    }

    public static MigrationSpec load(Path file, StepCheck steps) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SpecException("cannot read spec file " + file + ": " + e, e);
        }
        return parse(bytes, file.toString(), steps);
    }

    /** Parses spec text, checking its structure; {@code origin} names it in errors (a file name or "inline"). */
    public static MigrationSpec parse(String yaml, String origin) {
        return parse(yaml, origin, StepCheck.NONE);
    }

    public static MigrationSpec parse(String yaml, String origin, StepCheck steps) {
        return parse(yaml.getBytes(StandardCharsets.UTF_8), origin, steps);
    }

    public static MigrationSpec parse(byte[] yaml, String origin, StepCheck steps) {
        Node root = compose(yaml, origin);
        return new SpecLoader(origin, steps).read(root, origin, checksum(yaml));
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
        MigrationSpec spec = new MigrationSpec(
                migrationName(required(root, top, "migration", "the migration name")),
                endpoint(required(root, top, "source", "{uri: ..., database: ...}"), "source"),
                endpoint(required(root, top, "target", "{uri: ..., database: ...}"), "target"),
                kafka(required(root, top, "kafka", "{bootstrap.servers: ...}")),
                settings(top.get("capture"), "capture"),
                settings(top.get("transform"), "transform"),
                settings(top.get("sink"), "sink"),
                collections(required(root, top, "collections", "a map of source collections")),
                checksum, origin, canonicalForm(top.get("canonical")));
        if (spec.target().isRelational()) {
            tablesCoverCollections(spec, top.get("target"));
        }
        return spec;
    }

    /** Every target collection has its table, and every table is for a target collection. */
    private void tablesCoverCollections(MigrationSpec spec, Node target) {
        Set<String> collections = new java.util.LinkedHashSet<>();
        spec.collections().forEach(c -> {
            collections.add(c.into() == null ? c.source() : c.into());
            c.routes().forEach(r -> collections.add(r.into()));
        });
        for (String collection : collections) {
            if (spec.target().relational().table(collection).isEmpty()) {
                throw tree.error(target, "target collection '" + collection + "' has no table in 'target.tables'");
            }
        }
        for (TableSpec table : spec.target().relational().tables()) {
            if (!collections.contains(table.collection())) {
                throw tree.error(target, "'target.tables." + table.collection() + "' is not a target collection of the "
                        + "spec (" + String.join(", ", collections) + ")");
            }
        }
    }

    private Node required(Node parent, Map<String, Node> entries, String key, String expected) {
        Node node = entries.get(key);
        if (node == null || tree.isNull(node)) {
            throw tree.error(node == null ? parent : node, "missing required key '" + key + "' (expected " + expected + ")");
        }
        return node;
    }

    private String canonicalForm(Node node) {
        if (node == null || tree.isNull(node)) {
            return MigrationSpec.DEFAULT_CANONICAL_FORM;
        }
        String version = tree.text(node, "the canonical form version");
        try {
            return CanonicalForm.named(version).version();
        } catch (IllegalArgumentException e) {
            throw tree.error(node, e.getMessage());
        }
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
        String uri = tree.text(required(node, entries, "uri", "the " + which + " MongoDB connection string"), which + ".uri");
        Node uriNode = entries.get("uri");
        if (uri.startsWith("postgresql://") || uri.startsWith("postgres://")) {
            return relationalEndpoint(node, entries, uri, which);
        }
        rejectUnknown(node, entries, ENDPOINT, "'" + which + "'");
        if (!uri.startsWith("mongodb://") && !uri.startsWith("mongodb+srv://")) {
            throw tree.error(uriNode, which + ".uri must start with mongodb:// or mongodb+srv://, got '"
                    + ConnectionStrings.redact(uri) + "'");
        }
        Node dbNode = required(node, entries, "database", "the " + which + " database name");
        String database = tree.text(dbNode, which + ".database");
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw tree.error(dbNode, which + ".database '" + database
                    + "' is not a MongoDB database name (1-63 characters, none of / \\ . space \" $)");
        }
        return new MigrationSpec.Endpoint(uri, database);
    }

    /**
     * A PostgreSQL database: its name from the URI's path. A target declares the tables each target collection is
     * written to under {@code tables:}; a source's collections are its tables ({@code table} in schema {@code public},
     * or {@code schema.table}).
     */
    private MigrationSpec.Endpoint relationalEndpoint(Node node, Map<String, Node> entries, String uri, String which) {
        Node uriNode = entries.get("uri");
        boolean target = which.equals("target");
        rejectUnknown(node, entries, target ? RELATIONAL_ENDPOINT : ENDPOINT, "'" + which + "'");
        String database = ConnectionStrings.postgresDatabase(uri);
        if (database.isEmpty()) {
            throw tree.error(uriNode, which + ".uri '" + ConnectionStrings.redact(uri) + "' names no database; expected "
                    + "postgresql://user@host:port/database");
        }
        Node dbNode = entries.get("database");
        if (dbNode != null && !tree.text(dbNode, which + ".database").equals(database)) {
            throw tree.error(dbNode, which + ".database '" + tree.text(dbNode, which + ".database")
                    + "' is not the database of " + which + ".uri ('" + database + "'); leave it out");
        }
        if (!target) {
            return new MigrationSpec.Endpoint(uri, database);
        }
        Node tables = required(node, entries, "tables", "the tables each target collection is written to");
        return new MigrationSpec.Endpoint(uri, database, new RelationalTargetLoader(tree).tables(tables));
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
        checkRemapSources(collections);
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
        String into = entries.containsKey("into") ? into(entries.get("into"), where) : name;
        List<StepSpec> steps = steps(where, entries.get("steps"));
        List<RouteSpec> routes = List.of();
        if (entries.containsKey("routes")) {
            if (entries.containsKey("into")) {
                throw tree.error(entries.get("routes"), where + ": has both 'into' and 'routes'; expected one of them");
            }
            routes = routes(name, entries.get("routes"));
            into = routes.get(0).into();
        }
        CollectionSpec collection = new CollectionSpec(name, into, steps, routes);
        checkCollectionRules(node, collection);
        return collection;
    }

    private String into(Node node, String where) {
        String into = tree.text(node, "the target collection name in " + where);
        if (!COLLECTION_NAME.matcher(into).matches()) {
            throw tree.error(node, where + ": 'into' is not a MongoDB collection name (no $)");
        }
        return into;
    }

    private List<RouteSpec> routes(String collection, Node node) {
        List<RouteSpec> routes = new ArrayList<>();
        List<Node> items = tree.items(node, "the routes of collection '" + collection + "'");
        if (items.isEmpty()) {
            throw tree.error(node, "collection '" + collection + "': 'routes' is empty; expected at least one"
                    + " {into: <collection>, when: <filter>}");
        }
        for (Node item : items) {
            String where = "collection '" + collection + "', route " + (routes.size() + 1);
            Map<String, Node> entries = tree.entries(item, where);
            rejectUnknown(item, entries, ROUTE, where);
            String into = into(required(item, entries, "into", "the target collection of this route"), where);
            where += " (" + into + ")";
            Map<String, Object> when = new LinkedHashMap<>();
            Node whenNode = entries.get("when");
            if (whenNode != null && !tree.isNull(whenNode)) {
                if (!(tree.value(whenNode) instanceof Map<?, ?> map)) {
                    throw tree.error(whenNode, where + ": expected 'when' to be a MongoDB query filter (a map)");
                }
                map.forEach((k, v) -> when.put(String.valueOf(k), v));
                try {
                    Filter.compile(BsonConversion.document(when));
                } catch (RuntimeException e) {
                    throw tree.error(whenNode, where + ": 'when': " + e.getMessage());
                }
            }
            routes.add(new RouteSpec(into, when, steps(where, entries.get("steps")), tree.at(item) + ", " + where));
        }
        return routes;
    }

    private List<StepSpec> steps(String where, Node node) {
        if (node == null || tree.isNull(node)) {
            return List.of();
        }
        List<StepSpec> steps = new ArrayList<>();
        int number = 1;
        for (Node item : tree.items(node, "the steps of " + where)) {
            steps.add(step(where, number++, item));
        }
        return steps;
    }

    /** Rules across steps: at most one dedupe, only before routing; remap only from collections of the spec. */
    private void checkCollectionRules(Node node, CollectionSpec collection) {
        long dedupes = collection.steps().stream().filter(s -> s.kind().equals("dedupe")).count();
        if (dedupes > 1) {
            throw tree.error(node, "collection '" + collection.source() + "' has " + dedupes
                    + " dedupe steps; expected at most one");
        }
        for (RouteSpec route : collection.routes()) {
            route.steps().stream().filter(s -> s.kind().equals("dedupe")).findFirst().ifPresent(s -> {
                throw new SpecException(s.location() + ": dedupe belongs in the collection's steps, not in a route");
            });
        }
    }

    private void checkRemapSources(List<CollectionSpec> collections) {
        Set<String> names = new TreeSet<>();
        collections.forEach(c -> names.add(c.source()));
        for (CollectionSpec c : collections) {
            List<StepSpec> all = new ArrayList<>(c.steps());
            c.routes().forEach(r -> all.addAll(r.steps()));
            for (StepSpec s : all) {
                if (s.kind().equals("remap") && s.arguments() instanceof Map<?, ?> args
                        && !names.contains(String.valueOf(args.get("from")))) {
                    throw new SpecException(s.location() + ": remaps from '" + args.get("from")
                            + "', which is not a collection of this spec; expected one of " + String.join(", ", names));
                }
                if (s.kind().equals("lookup") && s.arguments() instanceof Map<?, ?> args
                        && (!names.contains(String.valueOf(args.get("from"))) || c.source().equals(args.get("from")))) {
                    throw new SpecException(s.location() + ": looks up '" + args.get("from") + "', which is not another "
                            + "collection of this spec (side collections are captured like any other: list it under "
                            + "collections); expected one of " + String.join(", ", names));
                }
            }
        }
    }

    private StepSpec step(String owner, int number, Node item) {
        String where = tree.at(item) + ", " + owner + ", step " + number;
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
        steps.check(spec);
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
