package io.changeover.embedded.mongo;

import java.util.Set;

/**
 * What a change stream watches: one collection, one database ({@code aggregate: 1}) or the whole deployment
 * ({@code aggregate: 1} on {@code admin} with {@code allChangesForCluster: true}). Like MongoDB, a deployment
 * stream leaves out the internal databases admin, config and local.
 *
 * @param database   null for the whole deployment
 * @param collection null for a database or the whole deployment
 */
record ChangeStreamScope(String database, String collection) {

    private static final Set<String> INTERNAL_DATABASES = Set.of("admin", "config", "local");

    static ChangeStreamScope deployment() {
        return new ChangeStreamScope(null, null);
    }

    boolean matches(OplogEntry entry) {
        if (database == null) {
            return !INTERNAL_DATABASES.contains(entry.database());
        }
        if (!database.equals(entry.database())) {
            return false;
        }
        return collection == null || collection.equals(entry.collection());
    }

    /**
     * True if the entry ends this stream: its collection was dropped or renamed, or its database dropped (a database
     * stream goes on after a rename, as on MongoDB).
     */
    boolean isInvalidatedBy(OplogEntry entry) {
        if (collection != null) {
            return ("drop".equals(entry.operationType()) || "rename".equals(entry.operationType())) && matches(entry);
        }
        return database != null && "dropDatabase".equals(entry.operationType()) && matches(entry);
    }

    /** The namespace MongoDB reports for the stream's cursor. */
    String cursorNamespace() {
        if (database == null) {
            return "admin.$cmd.aggregate";
        }
        return collection == null ? database + ".$cmd.aggregate" : database + "." + collection;
    }
}
