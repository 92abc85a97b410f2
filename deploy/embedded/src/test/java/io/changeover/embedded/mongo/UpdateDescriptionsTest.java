package io.changeover.embedded.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.bson.Document;

class UpdateDescriptionsTest {

    @Test
    void reportsChangedAddedNestedAndRemovedFields() {
        Document before = new Document("_id", 1).append("name", "Ada").append("gone", true)
            .append("address", new Document("city", "London").append("zip", "N1"))
            .append("tags", List.of("a"));
        Document after = new Document("_id", 1).append("name", "Ada L.")
            .append("address", new Document("city", "Paris").append("zip", "N1"))
            .append("tags", List.of("a", "b")).append("added", 5);

        Document description = UpdateDescriptions.between(before, after);

        assertEquals(new Document("name", "Ada L.").append("address.city", "Paris")
            .append("tags", List.of("a", "b")).append("added", 5), description.get("updatedFields"));
        assertEquals(List.of("gone"), description.get("removedFields"));
        assertEquals(List.of(), description.get("truncatedArrays"));
    }

    @Test
    void aChangeOfNumericTypeIsAChange() {
        Document description = UpdateDescriptions.between(new Document("n", 1), new Document("n", 1L));

        assertEquals(new Document("n", 1L), description.get("updatedFields"));
    }
}
