package io.changeover.capture;

import java.util.Objects;

/**
 * One captured source collection: the database and collection name as MongoDB spells them.
 *
 * @param database   source database name
 * @param collection source collection name
 */
public record SourceCollection(String database, String collection) {
    public SourceCollection {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(collection, "collection");
    }

    /** {@code db.coll}, the namespace MongoDB and Debezium's include lists use. */
    public String namespace() {
        return database + "." + collection;
    }

    @Override
    public String toString() {
        return namespace();
    }
}
