package io.changeover.sink.relational;

import java.util.List;
import java.util.Map;

/**
 * One document as rows, every value in its column's text form (null for SQL NULL).
 *
 * @param key      the key column's value (the document's {@code _id})
 * @param parent   the parent row's other columns, in the table's column order
 * @param children per child table, its rows' columns (without parent key and ordinal), in array order
 */
record DocumentRows(String key, List<String> parent, Map<String, List<List<String>>> children) {
}
