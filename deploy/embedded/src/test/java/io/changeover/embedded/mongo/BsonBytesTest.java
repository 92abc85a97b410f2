package io.changeover.embedded.mongo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.bson.Document;

class BsonBytesTest {

    @Test
    void embeddingEncodedDocumentsGivesTheSameBytesAsEncodingTheWhole() {
        Document key = new Document("_id", 7);
        Document full = new Document("_id", 7).append("name", "Ada").append("tags", List.of("a", "b"))
            .append("address", new Document("city", "London"));

        byte[] embedded = BsonBytes.embed(new String[] {"documentKey", "fullDocument"},
            new byte[][] {BsonBytes.encode(key), BsonBytes.encode(full)});

        Document whole = new Document("documentKey", key).append("fullDocument", full);
        assertArrayEquals(BsonBytes.encode(whole), embedded);
        assertEquals(whole, BsonBytes.decode(embedded));
    }
}
