package io.changeover.transform.step;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Writes a list of documents as CSV (RFC 4180): a header of every field name in first-seen order, one row per
 * document, {@code \n} line ends, a field quoted when it holds a comma, quote, CR or LF. Missing fields and nulls are
 * empty cells; numbers and booleans are written as in JSON; nested documents and arrays are refused.
 */
final class CsvWriter {
    private CsvWriter() {
    }

    static String write(BsonValue value) {
        if (!value.isArray()) {
            throw new IllegalArgumentException("cannot convert " + value.getBsonType().name().toLowerCase()
                    + " to csv: expected a list of documents");
        }
        List<BsonDocument> rows = new ArrayList<>();
        Set<String> columns = new LinkedHashSet<>();
        List<String> columnList = new ArrayList<>();
        for (BsonValue element : value.asArray()) {
            if (!element.isDocument()) {
                throw new IllegalArgumentException("cannot convert to csv: element " + rows.size() + " is "
                        + element.getBsonType().name().toLowerCase() + ", not a document");
            }
            BsonDocument row = element.asDocument();
            rows.add(row);
            if (!hasColumnsInOrder(row, columnList)) {   // rows of a matrix usually all have the same fields
                row.keySet().stream().filter(columns::add).forEach(columnList::add);
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, columnList);
        for (BsonDocument row : rows) {
            List<String> cells = new ArrayList<>(columnList.size());
            if (hasColumnsInOrder(row, columnList)) {
                int i = 0;
                for (BsonValue cell : row.values()) {
                    cells.add(cell(cell, columnList.get(i++)));
                }
            } else {
                for (String column : columnList) {
                    cells.add(cell(row.get(column), column));
                }
            }
            line(out, cells);
        }
        return out.toString();
    }

    /** Whether the row's fields are exactly these columns in this order (compared without hashing). */
    private static boolean hasColumnsInOrder(BsonDocument row, List<String> columns) {
        if (row.size() != columns.size()) {
            return false;
        }
        int i = 0;
        for (String key : row.keySet()) {
            if (!key.equals(columns.get(i++))) {
                return false;
            }
        }
        return true;
    }

    private static void line(StringBuilder out, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(quote(cells.get(i)));
        }
        out.append('\n');
    }

    private static String cell(BsonValue value, String column) {
        if (value == null || value.isNull()) {
            return "";
        }
        return switch (value.getBsonType()) {
            case STRING -> value.asString().getValue();
            case INT32 -> Integer.toString(value.asInt32().getValue());
            case INT64 -> Long.toString(value.asInt64().getValue());
            case DOUBLE -> Double.toString(value.asDouble().getValue());
            case DECIMAL128 -> value.asDecimal128().getValue().toString();
            case BOOLEAN -> Boolean.toString(value.asBoolean().getValue());
            case OBJECT_ID -> value.asObjectId().getValue().toHexString();
            default -> throw new IllegalArgumentException("cannot convert to csv: column '" + column + "' holds "
                    + value.getBsonType().name().toLowerCase() + "; expected strings, numbers, booleans or null");
        };
    }

    private static String quote(String cell) {
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
            return cell;
        }
        return '"' + cell.replace("\"", "\"\"") + '"';
    }
}
