package io.changeover.verify.relational;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

import com.mongodb.client.MongoDatabase;

import io.changeover.transform.spec.ColumnSpec;
import io.changeover.transform.spec.RelationalTarget;
import io.changeover.transform.spec.TableSpec;
import io.changeover.verify.CollectionReport;
import io.changeover.verify.Difference;
import io.changeover.verify.ExpectedSpecStrategy;

/**
 * Verifies a PostgreSQL target: every table equals the spec applied to the source, row by row and child row by child
 * row. The expected documents come from the transform's pure functions over the source
 * ({@link ExpectedSpecStrategy#expectedDocuments}, in memory); the rows are read back with the JDBC driver's own types
 * and compared by the verifier's reading of the mapping ({@link ColumnEquality}), never by the sink's code. A row whose
 * key no expected document has is extra; an expected document without its row is missing; a row with another value
 * in a column, or child rows that are not the array's elements in order, is different (the columns named).
 */
public final class RelationalVerifier {
    private static final int SAMPLES = 20;

    private final MongoDatabase source;
    private final Connection target;
    private final RelationalTarget tables;

    public RelationalVerifier(MongoDatabase source, Connection target, RelationalTarget tables) {
        this.source = source;
        this.target = target;
        this.tables = tables;
    }

    /** One report per table of the target, from the expectations of every source collection. */
    public List<CollectionReport> verify(List<ExpectedSpecStrategy> strategies) throws SQLException {
        Map<String, Map<String, BsonDocument>> expectedByCollection = new LinkedHashMap<>();
        Map<String, Long> sourceCounts = new HashMap<>();
        for (ExpectedSpecStrategy strategy : strategies) {
            long count = source.getCollection(strategy.sourceCollection()).countDocuments();
            strategy.targets().forEach(t -> sourceCounts.merge(t, count, Long::sum));
            strategy.expectedDocuments().forEach((placement, document) -> {
                TableSpec table = table(placement.target());
                String key = KeyText.of(table.key().type(), placement.id());
                expectedByCollection.computeIfAbsent(placement.target(), t -> new LinkedHashMap<>())
                        .put(key == null ? "unkeyable " + placement.id() : key, document);
            });
        }
        List<CollectionReport> reports = new ArrayList<>();
        for (TableSpec table : tables.tables()) {
            reports.add(verify(table, expectedByCollection.getOrDefault(table.collection(), Map.of()),
                    sourceCounts.getOrDefault(table.collection(), 0L)));
        }
        return reports;
    }

    private CollectionReport verify(TableSpec table, Map<String, BsonDocument> expected, long sourceCount)
            throws SQLException {
        Map<String, Object[]> rows = rows(table);
        Map<String, Map<String, List<Object[]>>> children = new HashMap<>();
        for (TableSpec.ChildTableSpec child : table.children()) {
            children.put(child.table(), childRows(child));
        }
        long missing = 0;
        long extra = 0;
        long different = 0;
        List<Difference> samples = new ArrayList<>();
        for (Map.Entry<String, BsonDocument> e : expected.entrySet()) {
            Object[] row = rows.get(e.getKey());
            BsonValue id = e.getValue().get("_id");
            if (row == null) {
                missing++;
                sample(samples, new Difference(Difference.Kind.MISSING, id, List.of(), "no row in " + table.table()));
                continue;
            }
            List<String> differ = differences(table, row, e.getValue(), e.getKey(), children);
            if (!differ.isEmpty()) {
                different++;
                sample(samples, new Difference(Difference.Kind.DIFFERENT, id, differ, "row of " + table.table()));
            }
        }
        for (String key : rows.keySet()) {
            if (!expected.containsKey(key)) {
                extra++;
                sample(samples, new Difference(Difference.Kind.EXTRA, new BsonString(key), List.of(),
                        "row of " + table.table() + " with no expected document"));
            }
        }
        for (TableSpec.ChildTableSpec child : table.children()) {
            for (String parent : children.get(child.table()).keySet()) {
                if (!rows.containsKey(parent)) {
                    extra++;
                    sample(samples, new Difference(Difference.Kind.EXTRA, new BsonString(parent), List.of(),
                            "rows of " + child.table() + " without their parent"));
                }
            }
        }
        return new CollectionReport(table.collection(), sourceCount, expected.size(), rows.size(), missing, extra,
                different, 0, 0, 0, 0, 0, samples);
    }

    private static List<String> differences(TableSpec table, Object[] row, BsonDocument expected, String key,
                                            Map<String, Map<String, List<Object[]>>> children) {
        List<String> differ = new ArrayList<>();
        for (int i = 0; i < table.columns().size(); i++) {
            ColumnSpec column = table.columns().get(i);
            if (!ColumnEquality.equal(column.type(), row[i], field(expected, column.field()))) {
                differ.add(column.name());
            }
        }
        for (TableSpec.ChildTableSpec child : table.children()) {
            BsonValue array = field(expected, child.array());
            List<BsonValue> elements = array != null && array.isArray() ? array.asArray().getValues() : List.of();
            List<Object[]> stored = children.get(child.table()).getOrDefault(key, List.of());
            if (stored.size() != elements.size()) {
                differ.add(child.table() + " (" + stored.size() + " rows, " + elements.size() + " elements)");
                continue;
            }
            for (int ordinal = 0; ordinal < elements.size(); ordinal++) {
                Object[] childRow = stored.get(ordinal);
                BsonValue element = elements.get(ordinal);
                for (int c = 0; c < child.columns().size(); c++) {
                    ColumnSpec column = child.columns().get(c);
                    BsonValue value = ".".equals(column.field()) ? element
                            : element.isDocument() ? field(element.asDocument(), column.field()) : null;
                    if ((Integer) childRow[0] != ordinal || !ColumnEquality.equal(column.type(), childRow[c + 1], value)) {
                        differ.add(child.table() + "[" + ordinal + "]." + column.name());
                    }
                }
            }
        }
        return differ;
    }

    /** Key text to the other columns' values, in the spec's column order. */
    private Map<String, Object[]> rows(TableSpec table) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ").append(quote(table.key().name())).append("::text");
        table.columns().forEach(c -> sql.append(", ").append(quote(c.name())));
        sql.append(" FROM ").append(quote(table.table()));
        Map<String, Object[]> rows = new HashMap<>();
        query(sql.toString(), result -> {
            Object[] values = new Object[table.columns().size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = result.getObject(i + 2);
            }
            rows.put(result.getString(1), values);
        });
        return rows;
    }

    /** Parent key text to its child rows in ordinal order: the ordinal, then the columns. */
    private Map<String, List<Object[]>> childRows(TableSpec.ChildTableSpec child) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ").append(quote(child.parentKey())).append("::text, ")
                .append(quote(child.ordinal()));
        child.columns().forEach(c -> sql.append(", ").append(quote(c.name())));
        sql.append(" FROM ").append(quote(child.table())).append(" ORDER BY 1, 2");
        Map<String, List<Object[]>> rows = new HashMap<>();
        query(sql.toString(), result -> {
            Object[] values = new Object[child.columns().size() + 1];
            for (int i = 0; i < values.length; i++) {
                values[i] = result.getObject(i + 2);
            }
            rows.computeIfAbsent(result.getString(1), k -> new ArrayList<>()).add(values);
        });
        return rows;
    }

    @FunctionalInterface
    private interface RowReader {
        void read(ResultSet result) throws SQLException;
    }

    private void query(String sql, RowReader reader) throws SQLException {
        try (Statement statement = target.createStatement()) {
            statement.setFetchSize(1_000);
            try (ResultSet result = statement.executeQuery(sql)) {
                while (result.next()) {
                    reader.read(result);
                }
            }
        }
    }

    private TableSpec table(String collection) {
        return tables.table(collection).orElseThrow(() -> new IllegalArgumentException(
                "target collection '" + collection + "' has no table in target.tables"));
    }

    private static void sample(List<Difference> samples, Difference difference) {
        if (samples.size() < SAMPLES) {
            samples.add(difference);
        }
    }

    /** The value at a dotted path of {@code document}, or null. */
    private static BsonValue field(BsonDocument document, String path) {
        BsonValue current = document;
        for (String part : path.split("\\.", -1)) {
            if (current == null || !current.isDocument()) {
                return null;
            }
            current = current.asDocument().get(part);
        }
        return current;
    }

    private static String quote(String identifier) {
        return '"' + identifier + '"';
    }
}
