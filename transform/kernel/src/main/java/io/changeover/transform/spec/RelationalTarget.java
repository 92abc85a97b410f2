package io.changeover.transform.spec;

import java.util.List;
import java.util.Optional;

/** The tables of a relational (PostgreSQL) target, one {@link TableSpec} per target collection. */
public record RelationalTarget(List<TableSpec> tables) {
    public RelationalTarget {
        tables = List.copyOf(tables);
    }

    public Optional<TableSpec> table(String collection) {
        return tables.stream().filter(t -> t.collection().equals(collection)).findFirst();
    }
}
