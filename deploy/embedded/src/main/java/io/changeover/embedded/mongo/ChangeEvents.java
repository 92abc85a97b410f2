package io.changeover.embedded.mongo;

import java.time.Instant;

import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;

/**
 * Builds change events shaped like MongoDB's from oplog entries: {@code _id} (resume token), {@code operationType},
 * {@code clusterTime}, {@code wallTime}, {@code ns}, {@code documentKey}, {@code updateDescription} for updates and
 * {@code fullDocument} for inserts and replaces, and for updates when the stream asked for a lookup (null when the
 * document no longer exists).
 */
final class ChangeEvents {

    private final DocumentLookup lookup;

    ChangeEvents(DocumentLookup lookup) {
        this.lookup = lookup;
    }

    /**
     * An event, an upper estimate of its BSON size (the oplog entry's bytes, a looked-up document's stored size and
     * the header), so the exact size need be computed only for events that may be near the limit, and the BSON size
     * of its {@code fullDocument} as stored (-1 without one), so {@code $bsonSize} of it needs no encoding.
     */
    record Sized(Document event, long estimatedBytes, int fullDocumentBytes) {
    }

    private static final int HEADER_BYTES = 512;

    Sized toEvent(OplogEntry entry, FullDocumentMode mode) {
        Document payload = entry.payload();
        long bytes = HEADER_BYTES + entry.body().length;
        int fullDocumentBytes = -1;
        Document event = header(entry, entry.operationType());
        event.put("ns", namespace(entry));
        Object documentKey = payload.get(OplogEntry.DOCUMENT_KEY);
        if (documentKey != null) {
            event.put(OplogEntry.DOCUMENT_KEY, documentKey);
        }
        switch (entry.operationType()) {
            case "insert", "replace" -> {
                event.put(OplogEntry.FULL_DOCUMENT, payload.get(OplogEntry.FULL_DOCUMENT));
                fullDocumentBytes = BsonBytes.embeddedLength(entry.body(), 1);   // documentKey, then fullDocument
            }
            case "update" -> {
                event.put(OplogEntry.UPDATE_DESCRIPTION, payload.get(OplogEntry.UPDATE_DESCRIPTION));
                if (mode.looksUp()) {
                    Object id = ((Document) documentKey).get("_id");
                    DocumentLookup.Found found = lookup.findById(entry.database(), entry.collection(), id);
                    event.put(OplogEntry.FULL_DOCUMENT, found == null ? null : found.document());
                    bytes += found == null ? 0 : found.bsonSize();
                    fullDocumentBytes = found == null ? -1 : found.bsonSize();
                }
            }
            case "rename" -> event.put(OplogEntry.TO, payload.get(OplogEntry.TO));
            default -> {
                // delete, drop, dropDatabase: no document
            }
        }
        return new Sized(event, bytes, fullDocumentBytes);
    }

    /** The event that closes a stream whose collection was dropped or renamed, or whose database was dropped. */
    Document invalidate(OplogEntry cause) {
        return header(cause, "invalidate");
    }

    private static Document header(OplogEntry entry, String operationType) {
        return new Document("_id", ResumeToken.of(entry.clusterTime()))
            .append("operationType", operationType)
            .append("clusterTime", new BsonTimestamp(entry.clusterTime()))
            .append("wallTime", Instant.ofEpochMilli(entry.wallMillis()));
    }

    private static Document namespace(OplogEntry entry) {
        Document ns = new Document("db", entry.database());
        if (entry.collection() != null) {
            ns.put("coll", entry.collection());
        }
        return ns;
    }
}
