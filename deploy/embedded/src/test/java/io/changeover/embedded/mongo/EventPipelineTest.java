package io.changeover.embedded.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.bson.Document;

/** Which operation types a stream's first {@code $match} can let through, so others are never turned into events. */
class EventPipelineTest {

    @Test
    void aWatchForDropsAndRenamesAcceptsOnlyThose() {
        Document match = new Document("$or", List.of(
            new Document("operationType", new Document("$in", List.of("drop", "rename")))
                .append("ns.coll", new Document("$in", List.of("jobs"))),
            new Document("operationType", "dropDatabase")));

        assertEquals(Set.of("drop", "rename", "dropDatabase"), EventPipeline.operationTypesOf(match));
    }

    @Test
    void anAndIsBoundedByAnyOfItsBranches() {
        Document match = new Document("$and", List.of(new Document("ns.db", "legacy"),
            new Document("operationType", new Document("$in", List.of("insert", "update")))));

        assertEquals(Set.of("insert", "update"), EventPipeline.operationTypesOf(match));
    }

    @Test
    void aMatchThatDoesNotSayLetsEveryTypeThrough() {
        assertNull(EventPipeline.operationTypesOf(new Document("ns.coll", "jobs")));
        assertNull(EventPipeline.operationTypesOf(new Document("$or", List.of(new Document("operationType", "drop"),
            new Document("ns.coll", "jobs")))), "a branch without a type can pass anything");
        assertNull(EventPipeline.operationTypesOf(new Document("operationType", new Document("$ne", "drop"))));
    }
}
