package io.changeover.transform.spec;

import java.util.List;

/**
 * One column of a relational target and the document field it holds.
 *
 * @param name  the column name
 * @param field the field path in the document (dotted for nested fields; {@code .} for an array element itself)
 * @param type  the column's PostgreSQL type, one of {@link #TYPES}
 */
public record ColumnSpec(String name, String field, String type) {
    /** The column types a relational target supports (how a BSON value becomes each: docs/relational-target.md). */
    public static final List<String> TYPES = List.of("text", "integer", "bigint", "double precision", "numeric",
            "boolean", "timestamptz", "uuid", "jsonb", "bytea");
}
