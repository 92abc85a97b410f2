package io.changeover.transform.spec;

import java.util.List;

/**
 * How the documents of one target collection become rows of a relational target: one row in {@code table} per
 * document, keyed by its {@code _id}, plus rows in child tables from array fields.
 *
 * @param collection the target collection (the transform's output) these documents come from
 * @param table      the table a document's row goes to
 * @param key        the primary-key column, holding the document's {@code _id}
 * @param columns    the other columns, each from a field of the document
 * @param children   tables of rows from array fields, keyed by the parent's key and the element's ordinal
 * @param indexes    secondary indexes, each a list of columns
 * @param references foreign keys to the tables of other target collections, added by the cutover
 */
public record TableSpec(String collection, String table, ColumnSpec key, List<ColumnSpec> columns,
                        List<ChildTableSpec> children, List<List<String>> indexes, List<ForeignKeySpec> references) {
    public TableSpec {
        columns = List.copyOf(columns);
        children = List.copyOf(children);
        indexes = indexes.stream().map(List::copyOf).toList();
        references = List.copyOf(references);
    }

    /** A table without foreign keys. */
    public TableSpec(String collection, String table, ColumnSpec key, List<ColumnSpec> columns,
                     List<ChildTableSpec> children, List<List<String>> indexes) {
        this(collection, table, key, columns, children, indexes, List.of());
    }

    /**
     * Rows of {@code table} from the elements of the array field {@code array}; deleted and rewritten with their
     * parent document.
     *
     * @param parentKey the column holding the parent's key (a foreign key to it, deleted with it)
     * @param ordinal   the column holding the element's index in the array (with {@code parentKey}, the primary key)
     * @param columns   the columns from each element (a field of an element document, or {@code .} for the element)
     */
    public record ChildTableSpec(String table, String array, String parentKey, String ordinal, List<ColumnSpec> columns) {
        public ChildTableSpec {
            columns = List.copyOf(columns);
        }
    }
}
