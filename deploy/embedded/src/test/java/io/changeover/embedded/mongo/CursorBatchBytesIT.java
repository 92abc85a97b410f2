package io.changeover.embedded.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;

/**
 * A query whose results are larger than a wire message comes back in batches of at most about 16 MiB, as from
 * MongoDB: a plain {@code find()} over 60 MiB of documents (no batch size) reads every one of them.
 */
class CursorBatchBytesIT {

    @RegisterExtension
    static final SharedMongo SERVER = new SharedMongo();

    private static final int MIB = 1024 * 1024;

    @Test
    void aFindOverMoreThanAMessageOfDocumentsIsReadInBatches() {
        MongoCollection<Document> docs = SERVER.client().getDatabase("batches").getCollection("large");
        String blob = "x".repeat(MIB);
        for (int i = 0; i < 60; i++) {
            docs.insertOne(new Document("_id", i).append("blob", blob));
        }
        int read = 0;
        try (MongoCursor<Document> cursor = docs.find().iterator()) {
            while (cursor.hasNext()) {
                assertEquals(read, cursor.next().getInteger("_id"));
                read++;
            }
        }
        assertEquals(60, read);
    }
}
