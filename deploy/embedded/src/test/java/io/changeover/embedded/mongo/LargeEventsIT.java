package io.changeover.embedded.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.DocumentCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.FullDocument;

/**
 * Change events over MongoDB's largest document fail the stream with BSONObjectTooLarge, as on MongoDB (an update
 * of a large field of a large document, looked up: the change and the document together); a stream that shrinks
 * such events in its own stages, with {@code $bsonSize} and {@code $cond} as on MongoDB 4.4+, goes on.
 */
class LargeEventsIT {

    @RegisterExtension
    static final SharedMongo SERVER = new SharedMongo();

    private static final int MIB = 1024 * 1024;
    private static final int THRESHOLD = 5 * MIB;

    @Test
    void anEventOverTheLimitFailsTheStreamAndIsNotResumable() {
        MongoCollection<Document> docs = collection("tooLarge");
        docs.insertOne(new Document("_id", 1).append("blob", text(10 * MIB, 'a')));
        try (var stream = docs.watch().fullDocument(FullDocument.UPDATE_LOOKUP).cursor()) {
            docs.updateOne(Filters.eq("_id", 1), Updates.set("blob", text(10 * MIB, 'b')));

            MongoException failed = assertThrows(MongoException.class, () -> StreamReader.read(stream, 1));

            assertEquals(10334, failed.getCode(), failed.getMessage());
            assertFalse(failed.hasErrorLabel(ChangeStreamErrors.RESUMABLE));
        }
    }

    @Test
    void aStreamThatShrinksLargeDocumentsInItsStagesGoesOn() {
        MongoCollection<Document> docs = collection("shrunk");
        docs.insertOne(new Document("_id", 1).append("blob", text(10 * MIB, 'a')));
        try (var stream = docs.watch(sizeGuard()).fullDocument(FullDocument.UPDATE_LOOKUP).cursor()) {
            docs.updateOne(Filters.eq("_id", 1), Updates.set("blob", text(10 * MIB, 'b')));
            docs.insertOne(new Document("_id", 2).append("small", true));
            docs.deleteOne(Filters.eq("_id", 2));
            Document inserted = new Document("_id", 3).append("blob", text(6 * MIB, 'c'));
            docs.insertOne(inserted);

            List<ChangeStreamDocument<Document>> events = StreamReader.read(stream, 4);

            Document stub = events.get(0).getFullDocument();
            assertEquals(1, stub.get("_id"));
            assertEquals(bsonSize(docs.find(Filters.eq("_id", 1)).first()), stub.getInteger("size"));
            assertNull(events.get(0).getUpdateDescription(), "projected out");
            assertEquals(new Document("_id", 2).append("small", true), events.get(1).getFullDocument());
            assertNull(events.get(2).getFullDocument(), "a delete has no document to guard");
            assertEquals(new Document("_id", 3).append("size", bsonSize(inserted)), events.get(3).getFullDocument());
        }
    }

    @Test
    void setAssignsAnExpressionsDocumentValueInsteadOfMergingIt() {
        MongoCollection<Document> docs = collection("assign");
        Document stub = new Document("only", "$documentKey._id").append("path", new Document("$literal", "$notAPath"));
        try (var stream = docs.watch(List.of(new Document("$set", new Document("fullDocument",
            new Document("$cond", List.of(true, stub, "$fullDocument")))))).cursor()) {
            docs.insertOne(new Document("_id", 7).append("other", 1));

            Document assigned = StreamReader.read(stream, 1).get(0).getFullDocument();

            assertEquals(new Document("only", 7).append("path", "$notAPath"), assigned);
        }
    }

    private static List<Document> sizeGuard() {
        Document size = new Document("$bsonSize", "$fullDocument");
        Document stub = new Document("_id", "$documentKey._id").append("size", size);
        Document guarded = new Document("$cond", List.of(new Document("$gt", List.of(size, THRESHOLD)), stub,
            "$fullDocument"));
        return List.of(new Document("$set", new Document("fullDocument", guarded)),
            new Document("$project", new Document("updateDescription", 0)));
    }

    private static int bsonSize(Document document) {
        return new RawBsonDocument(document, new DocumentCodec()).getByteBuffer().remaining();
    }

    private static String text(int length, char c) {
        return String.valueOf(c).repeat(length);
    }

    private static MongoCollection<Document> collection(String name) {
        return SERVER.client().getDatabase("large").getCollection(name);
    }
}
