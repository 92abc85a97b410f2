package io.changeover.embedded.mongo;

import java.util.ArrayList;
import java.util.List;

import de.bwaldvogel.mongo.backend.Cursor;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.bson.Document;

/**
 * Query batches bounded as on MongoDB: a find's first batch holds at most its {@code batchSize} documents (101 when
 * none is given), a getMore's batch at most its {@code batchSize} (unbounded when none is given), and either stops
 * once it holds 16 MiB. mongo-java-server alone answers a find or getMore without a batch size with every remaining
 * document in one reply, which fails the driver (48 MB message limit) on large results. The find runs with a batch of
 * one; the rest of its first batch, and every getMore, is taken here from the cursor it left.
 */
final class CursorBatches {
    static final int DEFAULT_FIRST_BATCH = 101;
    static final long MAX_BATCH_BYTES = 16L * 1024 * 1024;

    private final CursorRegistry cursors;

    CursorBatches(CursorRegistry cursors) {
        this.cursors = cursors;
    }

    /** The find's batch size to run it with: 1, unless it asks for a single batch or for none at all. */
    static Document narrowed(Document find) {
        if (Boolean.TRUE.equals(find.get("singleBatch")) || requested(find, DEFAULT_FIRST_BATCH) <= 1) {
            return find;
        }
        Document copy = new Document(find);
        copy.put("batchSize", 1);
        return copy;
    }

    /** Fills the first batch of {@code reply} (to the narrowed {@code find}) up to what {@code find} asked for. */
    Document filledFirstBatch(Document find, Document reply) {
        if (narrowed(find) == find) {
            return reply;
        }
        fill(reply, "firstBatch", requested(find, DEFAULT_FIRST_BATCH));
        return reply;
    }

    /** The reply to a getMore on an ordinary cursor: its next batch, bounded by count and bytes. */
    Document getMore(String database, Document query, String command) {
        long id = ((Number) query.get(command)).longValue();
        Document cursor = new Document("id", id).append("ns", database + "." + query.get("collection"))
                .append("nextBatch", new ArrayList<Document>());
        Document reply = new Document("cursor", cursor).append("ok", 1.0);
        cursors.getCursor(id);   // CursorNotFound when it is gone, as super would answer
        fill(reply, "nextBatch", requested(query, Integer.MAX_VALUE));
        return reply;
    }

    @SuppressWarnings("unchecked")
    private void fill(Document reply, String batchName, int limit) {
        if (!(reply.get("cursor") instanceof Document cursorReply)) {
            return;
        }
        long id = ((Number) cursorReply.get("id")).longValue();
        List<Document> batch = (List<Document>) cursorReply.get(batchName);
        if (id == 0) {
            return;
        }
        Cursor cursor = cursors.getCursor(id);
        long bytes = 0;
        for (Document d : batch) {
            bytes += BsonBytes.encode(d).length;
        }
        while (batch.size() < limit && bytes < MAX_BATCH_BYTES && !cursor.isEmpty()) {
            Document next = cursor.takeDocuments(1).get(0);
            batch.add(next);
            bytes += BsonBytes.encode(next).length;
        }
        if (cursor.isEmpty()) {
            cursors.remove(id);
            cursorReply.put("id", 0L);
        }
    }

    private static int requested(Document command, int none) {
        Object size = command.get("batchSize");
        int n = size instanceof Number number ? number.intValue() : 0;
        return n > 0 ? n : none;
    }
}
