package io.changeover.embedded.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.client.result.UpdateResult;


/**
 * Queries and updates that name documents by {@code _id} are answered from the {@code _id} index
 * ({@link IdCondition}), with further conditions too; they must return and modify exactly what mongo-java-server
 * (its full scan, or its own index plan for {@code _id} alone) does. Each case runs on the embedded member and on a plain mongo-java-server loaded with the same writes, and the
 * two answers (documents and their order) are compared.
 */
class IdIndexedQueryIT {

    @RegisterExtension
    static final SharedMongo SERVER = new SharedMongo();

    @RegisterExtension
    static final PlainMongoServer PLAIN = new PlainMongoServer();

    @Test
    void findsByIdWithFurtherConditionsAsTheScanDoes() {
        String name = "finds";
        load(name);
        List<Object> someMissing = List.of(41, 7, 3, 99, 12, 1000, 5, 30, 8);
        List<Bson> filters = List.of(
            Filters.and(Filters.in("_id", someMissing), Filters.gte("group", 1)),
            new Document("_id", new Document("$in", someMissing)).append("group", 2),
            new Document("$and", List.of(new Document("_id", new Document("$in", someMissing)),
                new Document("group", new Document("$ne", 0)))),
            new Document("$and", List.of(new Document("group", new Document("$lt", 3)),
                new Document("$and", List.of(new Document("_id", new Document("$in", someMissing)))))),
            new Document("_id", 7).append("group", 7 % 4),
            new Document("_id", 7).append("group", 1 + 7 % 4),
            new Document("_id", 1000).append("group", 0),
            new Document("_id", new Document("$in", List.of(5L, 7.0, 8))).append("n", new Document("$gte", 0)),
            new Document("_id", new Document("$in", someMissing)).append("$or", List.of(
                new Document("pos", new Document("$lte", 10L)), new Document("pos", new Document("$exists", false)))),
            new Document("_id", new Document("$in", List.of())).append("group", 1),
            Filters.in("_id", someMissing),
            new Document("_id", new Document("$in", List.of(5L, 7.0, 8, "8", 1000))),
            Filters.eq("_id", 7),
            Filters.eq("_id", 7.0),
            Filters.eq("_id", 1000));

        for (Bson filter : filters) {
            assertSameAnswer(name, filter, c -> c.find(filter));
            assertSameAnswer(name, filter, c -> c.find(filter).sort(Sorts.descending("n")));
            assertSameAnswer(name, filter, c -> c.find(filter).sort(new Document("$natural", -1)));
            assertSameAnswer(name, filter, c -> c.find(filter).skip(1).limit(2));
            assertSameAnswer(name, filter, c -> c.find(filter).projection(Projections.include("group")));
            assertSameAnswer(name, filter, c -> c.find(filter).batchSize(2));
        }
        assertEquals(ids(name, c -> c.find(filters.get(0))).size(), embedded(name).countDocuments(filters.get(0)));
        assertTrue(ids(name, c -> c.find(filters.get(0))).size() > 2, "the case finds several documents");
    }

    @Test
    void findsDocumentIdsByIdWithFurtherConditionsAsTheScanDoes() {
        String name = "tombstones";
        for (MongoCollection<Document> collection : List.of(embedded(name), plain(name))) {
            for (int i = 0; i < 20; i++) {
                collection.insertOne(new Document("_id", new Document("c", "jobs").append("id", "j" + (i * 7 % 20)))
                    .append("pos", (long) i));
            }
        }
        List<Document> keys = List.of(new Document("c", "jobs").append("id", "j3"),
            new Document("c", "jobs").append("id", "j17"), new Document("c", "jobs").append("id", "absent"),
            new Document("id", "j3").append("c", "jobs"));
        Bson filter = Filters.and(Filters.in("_id", keys), Filters.lt("pos", 15L));
        assertSameAnswer(name, filter, c -> c.find(filter));
        assertEquals(2, ids(name, c -> c.find(filter)).size());
        Bson idsAlone = Filters.in("_id", keys);
        assertSameAnswer(name, idsAlone, c -> c.find(idsAlone));
        // a document id alone (the sink's metadata and tombstones): a plain value, not an operator document
        Bson oneDocumentId = Filters.eq("_id", keys.get(0));
        assertSameAnswer(name, oneDocumentId, c -> c.find(oneDocumentId));
        assertEquals(plain(name).updateOne(oneDocumentId, Updates.set("pos", 99L)).getModifiedCount(),
            embedded(name).updateOne(oneDocumentId, Updates.set("pos", 99L)).getModifiedCount());
        assertEquals(plain(name).find().into(new ArrayList<>()), embedded(name).find().into(new ArrayList<>()));
    }

    @Test
    void updatesByIdWithFurtherConditionsAsTheScanDoes() {
        String name = "updates";
        load(name);
        List<Function<MongoCollection<Document>, UpdateResult>> updates = List.of(
            c -> c.updateOne(Filters.and(Filters.eq("_id", 7), Filters.eq("group", 7 % 4)), Updates.set("n", -1)),
            c -> c.updateOne(Filters.and(Filters.eq("_id", 9), Filters.eq("group", 0)), Updates.set("n", -2)),
            c -> c.updateOne(Filters.and(Filters.eq("_id", 999), Filters.exists("group")), Updates.set("n", -3)),
            c -> c.updateMany(Filters.and(Filters.in("_id", List.of(3, 5, 8, 12, 999)), Filters.gte("group", 1)),
                Updates.inc("n", 100)),
            c -> c.replaceOne(guard(12, 50L), new Document("_id", 12).append("n", 12).append("pos", 51L)),
            c -> c.replaceOne(guard(13, 5L), new Document("_id", 13).append("n", 13).append("pos", 6L)),
            c -> c.replaceOne(guard(998, 5L), new Document("_id", 998).append("pos", 6L)),
            c -> c.replaceOne(guard(997, 5L), new Document("_id", 997).append("pos", 6L),
                new ReplaceOptions().upsert(true)));

        for (Function<MongoCollection<Document>, UpdateResult> update : updates) {
            UpdateResult expected = update.apply(plain(name));
            UpdateResult actual = update.apply(embedded(name));
            assertEquals(expected.getMatchedCount(), actual.getMatchedCount());
            assertEquals(expected.getModifiedCount(), actual.getModifiedCount());
            assertEquals(plain(name).find().into(new ArrayList<>()), embedded(name).find().into(new ArrayList<>()));
        }
        assertEquals(-1, embedded(name).find(Filters.eq("_id", 7)).first().getInteger("n"));
        assertEquals(51L, embedded(name).find(Filters.eq("_id", 12)).first().getLong("pos"));
        assertNotNull(embedded(name).find(Filters.eq("_id", 997)).first());
    }

    /** The sink's position guard: the document if its stored position is not newer than {@code position}. */
    private static Bson guard(int id, long position) {
        return new Document("_id", id).append("$or", List.of(new Document("pos", new Document("$lte", position)),
            new Document("pos", new Document("$exists", false))));
    }

    /**
     * The same documents in both servers, with deletes and re-inserts so that natural order (storage positions,
     * reused after deletes) differs from both insertion and {@code _id} order.
     */
    private static void load(String name) {
        for (MongoCollection<Document> collection : List.of(embedded(name), plain(name))) {
            for (int i = 0; i < 50; i++) {
                int id = i * 17 % 50;
                Document document = new Document("_id", id).append("n", id * 3 % 11).append("group", id % 4);
                if (id % 5 != 0) {
                    document.append("pos", (long) id);
                }
                collection.insertOne(document);
            }
            collection.deleteMany(Filters.in("_id", List.of(3, 20, 33, 41)));
            collection.insertOne(new Document("_id", 41).append("n", 1).append("group", 1).append("pos", 1L));
            collection.insertOne(new Document("_id", 3).append("n", 2).append("group", 3));
        }
    }

    private static void assertSameAnswer(String name, Bson filter,
                                         Function<MongoCollection<Document>, FindIterable<Document>> query) {
        List<Document> expected = query.apply(plain(name)).into(new ArrayList<>());
        List<Document> actual = query.apply(embedded(name)).into(new ArrayList<>());
        assertEquals(expected, actual, () -> "find " + filter);
    }

    private static List<Object> ids(String name, Function<MongoCollection<Document>, FindIterable<Document>> query) {
        List<Object> ids = new ArrayList<>();
        query.apply(embedded(name)).forEach(document -> ids.add(document.get("_id")));
        return ids;
    }

    private static MongoCollection<Document> embedded(String name) {
        return SERVER.client().getDatabase("idindexed").getCollection(name);
    }

    private static MongoCollection<Document> plain(String name) {
        return PLAIN.client().getDatabase("idindexed").getCollection(name);
    }
}
