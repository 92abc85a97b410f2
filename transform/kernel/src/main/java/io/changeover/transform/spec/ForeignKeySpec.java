package io.changeover.transform.spec;

import java.util.List;

/**
 * A foreign key of a relational target: {@code column} of a table names a row of the table of the target collection
 * {@code collection} by its key. Rows arrive in any order while Changeover migrates (a file before its dataset, a
 * dataset deleted before the rewrite of its files), so the constraint is added by the cutover, once the target is
 * complete and verified, and validated against every row then.
 *
 * @param column     the referencing column (a declared column of the table)
 * @param collection the referenced target collection; its table's key is the referenced column
 * @param onDelete   what deleting a referenced row does: {@code no action}, {@code cascade}, {@code set null} or
 *                   {@code restrict}
 */
public record ForeignKeySpec(String column, String collection, String onDelete) {
    public static final List<String> ON_DELETE = List.of("no action", "cascade", "set null", "restrict");
}
