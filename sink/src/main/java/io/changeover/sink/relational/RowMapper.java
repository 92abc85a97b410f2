package io.changeover.sink.relational;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import io.changeover.transform.spec.ColumnSpec;
import io.changeover.transform.spec.TableSpec;

/**
 * Turns a target document into the rows of its {@link TableSpec}: pure, never touching the document. A field path is
 * dotted through embedded documents; a missing field, a path through a non-document and BSON null are SQL NULL. A
 * value its column cannot hold throws {@link ColumnValueException} naming the column.
 */
final class RowMapper {
    private final TableSpec table;

    RowMapper(TableSpec table) {
        this.table = table;
    }

    /** The text form of a document {@code _id} in the key column. */
    String key(BsonValue id) {
        return value(table.key(), id);
    }

    DocumentRows rows(BsonValue id, BsonDocument document) {
        List<String> parent = new ArrayList<>(table.columns().size());
        for (ColumnSpec column : table.columns()) {
            parent.add(value(column, field(document, column.field())));
        }
        Map<String, List<List<String>>> children = new LinkedHashMap<>();
        for (TableSpec.ChildTableSpec child : table.children()) {
            children.put(child.table(), childRows(child, field(document, child.array())));
        }
        return new DocumentRows(key(id), parent, children);
    }

    private List<List<String>> childRows(TableSpec.ChildTableSpec child, BsonValue array) {
        if (array == null || array.isNull()) {
            return Collections.emptyList();
        }
        if (!array.isArray()) {
            throw new ColumnValueException("field '" + child.array() + "' (rows of table " + child.table() + ") is a "
                    + array.getBsonType() + ", not an array");
        }
        BsonArray elements = array.asArray();
        List<List<String>> rows = new ArrayList<>(elements.size());
        for (BsonValue element : elements) {
            List<String> row = new ArrayList<>(child.columns().size());
            for (ColumnSpec column : child.columns()) {
                BsonValue value = ".".equals(column.field()) ? element
                        : element.isDocument() ? field(element.asDocument(), column.field()) : null;
                row.add(value(column, value));
            }
            rows.add(row);
        }
        return rows;
    }

    private static String value(ColumnSpec column, BsonValue value) {
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            return ColumnType.of(column.type()).text(value);
        } catch (ColumnValueException e) {
            throw new ColumnValueException("column " + column.name() + " (" + column.type() + ", field '"
                    + column.field() + "'): " + e.getMessage());
        }
    }

    /** The value at a dotted path, or null when the path does not lead to one. */
    static BsonValue field(BsonDocument document, String path) {
        BsonValue current = document;
        for (String part : path.split("\\.", -1)) {
            if (current == null || !current.isDocument()) {
                return null;
            }
            current = current.asDocument().get(part);
        }
        return current;
    }
}
