package io.changeover.embedded.mongo;

import de.bwaldvogel.mongo.bson.Document;

/**
 * One change in the oplog. {@code body} holds the BSON of the event's payload ({@code documentKey},
 * {@code fullDocument} for inserts and replaces, {@code updateDescription} for updates, {@code to} for renames), encoded when the write
 * happened so later writes cannot alter it.
 *
 * @param clusterTime   packed BSON timestamp, unique per entry
 * @param wallMillis    wall-clock time of the write
 * @param operationType change-event operation type: insert, update, replace, delete, drop, rename, dropDatabase
 * @param database      database name
 * @param collection    collection name, null for database-level events
 * @param body          encoded payload
 */
record OplogEntry(long clusterTime, long wallMillis, String operationType, String database, String collection,
                  byte[] body) {

    static final String DOCUMENT_KEY = "documentKey";
    static final String FULL_DOCUMENT = "fullDocument";
    static final String UPDATE_DESCRIPTION = "updateDescription";
    static final String TO = "to";

    private static final int FIXED_OVERHEAD_BYTES = 96;

    Document payload() {
        return BsonBytes.decode(body);
    }

    /** Approximate heap footprint, counted against the oplog's byte budget. */
    long sizeInBytes() {
        return FIXED_OVERHEAD_BYTES + body.length;
    }
}
