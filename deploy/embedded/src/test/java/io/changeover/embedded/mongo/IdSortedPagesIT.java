package io.changeover.embedded.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;


/**
 * Finds sorted on {@code _id} with a limit walk the {@code _id}s in order ({@link SortedIds}); they must return
 * exactly what mongo-java-server's scan and sort return, for ids of several types, after deletes and re-inserts.
 * Each query runs on the embedded member and on a plain mongo-java-server holding the same documents.
 */
class IdSortedPagesIT {

    @RegisterExtension
    static final SharedMongo SERVER = new SharedMongo();

    @RegisterExtension
    static final PlainMongoServer PLAIN = new PlainMongoServer();

    @BeforeAll
    static void load() {
        List<Object> ids = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            ids.add(switch (i % 5) {
                case 0 -> i * 7 % 60;
                case 1 -> (long) i * 1000;
                case 2 -> i + 0.5;
                case 3 -> "s" + (i * 13 % 60);
                default -> new ObjectId(String.format("%024x", i * 31 % 60));
            });
        }
        for (MongoCollection<Document> collection : List.of(embedded(), plain())) {
            for (Object id : ids) {
                collection.insertOne(new Document("_id", id).append("group", ids.indexOf(id) % 3));
            }
            collection.deleteMany(Filters.in("_id", List.of(ids.get(5), ids.get(13), ids.get(34))));
            collection.insertOne(new Document("_id", ids.get(13)).append("group", 9));
        }
    }

    @Test
    void pagesByIdAreThoseOfTheScan() {
        for (int direction : new int[] {1, -1}) {
            List<Object> paged = new ArrayList<>();
            Object last = null;
            while (true) {
                Bson filter = last == null ? new Document()
                    : Filters.and(direction > 0 ? Filters.gt("_id", last) : Filters.lt("_id", last));
                Bson sort = direction > 0 ? Sorts.ascending("_id") : Sorts.descending("_id");
                List<Document> page = assertSameAnswer(c -> c.find(filter).sort(sort).limit(7));
                if (page.isEmpty()) {
                    break;
                }
                page.forEach(document -> paged.add(document.get("_id")));
                last = page.get(page.size() - 1).get("_id");
            }
            assertTrue(paged.size() > 7, "pages were read: " + paged);
        }
    }

    @Test
    void rangesWithBoundsOfEveryTypeAndFurtherConditionsAreThoseOfTheScan() {
        List<Object> bounds = List.of(14, 14.5, 3000L, "s20", "a", new ObjectId(String.format("%024x", 30)),
            Long.MAX_VALUE, -1);
        for (Object bound : bounds) {
            for (String operator : List.of("$gt", "$gte", "$lt", "$lte")) {
                Document filter = new Document("_id", new Document(operator, bound));
                assertSameAnswer(c -> c.find(filter).sort(Sorts.ascending("_id")).limit(5));
                assertSameAnswer(c -> c.find(filter).sort(Sorts.descending("_id")).limit(5).skip(2));
                Document withGroup = new Document(filter).append("group", new Document("$ne", 1));
                assertSameAnswer(c -> c.find(withGroup).sort(Sorts.ascending("_id")).limit(4));
            }
        }
        assertSameAnswer(c -> c.find(Filters.and(Filters.gte("_id", 10), Filters.lt("_id", 40)))
            .sort(Sorts.ascending("_id")).limit(100).projection(Projections.include("_id")));
        assertSameAnswer(c -> c.find(Filters.and(Filters.gte("_id", 40), Filters.lt("_id", 10)))
            .sort(Sorts.ascending("_id")).limit(3));
        assertSameAnswer(c -> c.find(Filters.and(Filters.gt("_id", "s"), Filters.lt("_id", 5)))
            .sort(Sorts.ascending("_id")).limit(3));
        assertSameAnswer(c -> c.find().sort(Sorts.descending("_id")).limit(1));
        assertSameAnswer(c -> c.find(Filters.eq("group", 9)).sort(Sorts.ascending("_id")).limit(2));
        assertSameAnswer(c -> c.find().sort(Sorts.ascending("_id")).skip(55).limit(10));
    }

    private static List<Document> assertSameAnswer(Function<MongoCollection<Document>, FindIterable<Document>> query) {
        List<Document> expected = query.apply(plain()).into(new ArrayList<>());
        List<Document> actual = query.apply(embedded()).into(new ArrayList<>());
        assertEquals(expected, actual);
        return actual;
    }

    private static MongoCollection<Document> embedded() {
        return SERVER.client().getDatabase("sorted").getCollection("pages");
    }

    private static MongoCollection<Document> plain() {
        return PLAIN.client().getDatabase("sorted").getCollection("pages");
    }
}
