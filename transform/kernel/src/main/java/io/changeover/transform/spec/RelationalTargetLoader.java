package io.changeover.transform.spec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a relational target's {@code tables:} map (see docs/relational-target.md):
 *
 * <pre>
 * tables:
 *   jobs:                              # a target collection
 *     table: jobs                      # default: the collection's name
 *     key: {column: id, type: text}    # the document's _id
 *     columns:
 *       type: {type: text}             # field: defaults to the column's name
 *       created_at: {field: created, type: timestamptz}
 *     children:
 *       job_files: {array: files, parent-key: job_id, columns: {name: {type: text}}}
 *     indexes: [[type], [owner, created_at]]
 * </pre>
 */
final class RelationalTargetLoader {
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final List<String> KEY_TYPES = List.of("text", "integer", "bigint", "uuid");
    private static final Set<String> TABLE = Set.of("table", "key", "columns", "children", "indexes", "references");
    private static final Set<String> REFERENCE = Set.of("collection", "on-delete");
    private static final Set<String> KEY = Set.of("column", "type");
    private static final Set<String> COLUMN = Set.of("field", "type");
    private static final Set<String> CHILD = Set.of("array", "parent-key", "ordinal", "columns");

    private final YamlTree tree;

    RelationalTargetLoader(YamlTree tree) {
        this.tree = tree;
    }

    RelationalTarget tables(Node node) {
        List<TableSpec> tables = new ArrayList<>();
        Set<String> names = new HashSet<>();
        tree.entries(node, "'target.tables'").forEach((collection, value) -> {
            TableSpec table = table(collection, value);
            unique(names, table.table(), value);
            table.children().forEach(child -> unique(names, child.table(), value));
            tables.add(table);
        });
        if (tables.isEmpty()) {
            throw tree.error(node, "'target.tables' is empty: map each target collection to its table");
        }
        Map<String, Node> declared = tree.entries(node, "'target.tables'");
        for (TableSpec table : tables) {
            for (ForeignKeySpec reference : table.references()) {
                checkReference(table, reference, tables, declared.get(table.collection()));
            }
        }
        return new RelationalTarget(tables);
    }

    /** The referenced collection has a table, and the column's type is its key's. */
    private void checkReference(TableSpec table, ForeignKeySpec reference, List<TableSpec> tables, Node where) {
        String name = "'target.tables." + table.collection() + ".references." + reference.column() + "'";
        TableSpec referenced = tables.stream().filter(t -> t.collection().equals(reference.collection())).findFirst()
                .orElseThrow(() -> tree.error(where, name + " names collection '" + reference.collection()
                        + "', which has no table in 'target.tables'"));
        ColumnSpec column = table.columns().stream().filter(c -> c.name().equals(reference.column())).findFirst()
                .orElseThrow();
        if (!column.type().equals(referenced.key().type())) {
            throw tree.error(where, name + ": column '" + column.name() + "' is " + column.type() + " but the key of '"
                    + referenced.table() + "' is " + referenced.key().type());
        }
    }

    private void unique(Set<String> names, String table, Node where) {
        if (!names.add(table)) {
            throw tree.error(where, "table '" + table + "' is declared twice in 'target.tables'");
        }
    }

    private TableSpec table(String collection, Node node) {
        String where = "'target.tables." + collection + "'";
        Map<String, Node> entries = tree.entries(node, where);
        reject(node, entries, TABLE, where);
        String table = entries.containsKey("table") ? identifier(entries.get("table"), where + ".table") : collection;
        identifier(table, node, where + " (the table name defaults to the collection's)");
        Node keyNode = entries.get("key");
        if (keyNode == null) {
            throw tree.error(node, "missing required key 'key' in " + where + " (expected {column: ..., type: ...}, "
                    + "the column holding the document's _id)");
        }
        Map<String, Node> key = tree.entries(keyNode, where + ".key");
        reject(keyNode, key, KEY, where + ".key");
        Node keyType = required(keyNode, key, "type", where + ".key");
        ColumnSpec keyColumn = new ColumnSpec(identifier(required(keyNode, key, "column", where + ".key"),
                where + ".key.column"), "_id", type(keyType, where + ".key.type"));
        if (!KEY_TYPES.contains(keyColumn.type())) {
            throw tree.error(keyType, where + ".key.type '" + keyColumn.type() + "' cannot hold a document's _id; "
                    + "expected one of " + String.join(", ", KEY_TYPES));
        }
        List<ColumnSpec> columns = columns(entries.get("columns"), where + ".columns", Set.of(keyColumn.name()));
        List<TableSpec.ChildTableSpec> children = new ArrayList<>();
        if (entries.containsKey("children")) {
            tree.entries(entries.get("children"), where + ".children").forEach((name, child) ->
                    children.add(child(name, child, where + ".children." + name)));
        }
        Set<String> known = new HashSet<>();
        known.add(keyColumn.name());
        columns.forEach(c -> known.add(c.name()));
        return new TableSpec(collection, table, keyColumn, columns, children, indexes(entries.get("indexes"), where, known),
                references(entries.get("references"), where, columns));
    }

    /** {@code references: {<column>: <collection>}} or {@code {<column>: {collection: ..., on-delete: ...}}}. */
    private List<ForeignKeySpec> references(Node node, String where, List<ColumnSpec> columns) {
        List<ForeignKeySpec> references = new ArrayList<>();
        if (node == null) {
            return references;
        }
        tree.entries(node, where + ".references").forEach((column, value) -> {
            String name = where + ".references." + column;
            if (columns.stream().noneMatch(c -> c.name().equals(column))) {
                throw tree.error(value, name + ": '" + column + "' is not a column of " + where);
            }
            if (tree.isScalar(value)) {
                references.add(new ForeignKeySpec(column, tree.text(value, name), "no action"));
                return;
            }
            Map<String, Node> entries = tree.entries(value, name);
            reject(value, entries, REFERENCE, name);
            String onDelete = entries.containsKey("on-delete")
                    ? tree.text(entries.get("on-delete"), name + ".on-delete").trim().toLowerCase(java.util.Locale.ROOT)
                    : "no action";
            if (!ForeignKeySpec.ON_DELETE.contains(onDelete)) {
                throw tree.error(entries.get("on-delete"), name + ".on-delete '" + onDelete + "': expected one of "
                        + String.join(", ", ForeignKeySpec.ON_DELETE));
            }
            references.add(new ForeignKeySpec(column, tree.text(required(value, entries, "collection", name),
                    name + ".collection"), onDelete));
        });
        return references;
    }

    private TableSpec.ChildTableSpec child(String table, Node node, String where) {
        identifier(table, node, where);
        Map<String, Node> entries = tree.entries(node, where);
        reject(node, entries, CHILD, where);
        String array = tree.text(required(node, entries, "array", where), where + ".array");
        String parentKey = identifier(required(node, entries, "parent-key", where), where + ".parent-key");
        String ordinal = entries.containsKey("ordinal") ? identifier(entries.get("ordinal"), where + ".ordinal") : "ordinal";
        List<ColumnSpec> columns = columns(entries.get("columns"), where + ".columns", Set.of(parentKey, ordinal));
        if (parentKey.equals(ordinal)) {
            throw tree.error(node, where + ": parent-key and ordinal are one column '" + ordinal + "'");
        }
        return new TableSpec.ChildTableSpec(table, array, parentKey, ordinal, columns);
    }

    private List<ColumnSpec> columns(Node node, String where, Set<String> taken) {
        List<ColumnSpec> columns = new ArrayList<>();
        if (node == null) {
            return columns;
        }
        tree.entries(node, "'" + where + "'").forEach((name, value) -> {
            identifier(name, value, where);
            if (taken.contains(name)) {
                throw tree.error(value, "column '" + name + "' in " + where + " is already the key or a generated column");
            }
            Map<String, Node> column = tree.entries(value, where + "." + name);
            reject(value, column, COLUMN, where + "." + name);
            String field = column.containsKey("field") ? tree.text(column.get("field"), where + "." + name + ".field") : name;
            columns.add(new ColumnSpec(name, field, type(required(value, column, "type", where + "." + name),
                    where + "." + name + ".type")));
        });
        return columns;
    }

    private List<List<String>> indexes(Node node, String where, Set<String> columns) {
        List<List<String>> indexes = new ArrayList<>();
        if (node == null) {
            return indexes;
        }
        for (Node index : tree.items(node, where + ".indexes")) {
            List<String> names = new ArrayList<>();
            for (Node column : tree.items(index, where + ".indexes (each a list of columns)")) {
                String name = tree.text(column, "a column of an index of " + where);
                if (!columns.contains(name)) {
                    throw tree.error(column, "index column '" + name + "' is not a column of " + where);
                }
                names.add(name);
            }
            indexes.add(names);
        }
        return indexes;
    }

    private String type(Node node, String where) {
        String type = tree.text(node, where).trim().toLowerCase(java.util.Locale.ROOT);
        if (!ColumnSpec.TYPES.contains(type)) {
            throw tree.error(node, where + " '" + type + "' is not a supported column type; expected one of "
                    + String.join(", ", ColumnSpec.TYPES));
        }
        return type;
    }

    private String identifier(Node node, String where) {
        String name = tree.text(node, where);
        identifier(name, node, where);
        return name;
    }

    private void identifier(String name, Node node, String where) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw tree.error(node, "'" + name + "' in " + where + " is not a plain SQL identifier (lower-case letters, "
                    + "digits and _, at most 63, not starting with a digit)");
        }
    }

    private Node required(Node parent, Map<String, Node> entries, String key, String where) {
        Node node = entries.get(key);
        if (node == null || tree.isNull(node)) {
            throw tree.error(parent, "missing required key '" + key + "' in " + where);
        }
        return node;
    }

    private void reject(Node mapping, Map<String, Node> entries, Set<String> allowed, String where) {
        for (String key : entries.keySet()) {
            if (!allowed.contains(key)) {
                throw tree.error(tree.keys(mapping).get(key), "unknown key '" + key + "' in " + where + "; expected "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }
}
