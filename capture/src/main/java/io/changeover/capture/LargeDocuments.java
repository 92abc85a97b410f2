package io.changeover.capture;

import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * Keeps every change event under MongoDB's 16 MiB limit. An update's event holds both the change and the looked-up
 * document, so an update of a large document can exceed the limit; the server then fails the stream with
 * BSONObjectTooLarge at that event, and every resume meets it again: nothing written after it would be captured.
 *
 * <p>The capture's change stream therefore carries two stages of its own (MongoDB 4.4+): the update description is
 * left out (capture uses the whole document), and a document larger than {@code large.document.bytes} is replaced in
 * the event by a stub {@code {_id, _changeover_large_document_bytes: <size>}}. A {@link LargeDocumentStrategy} then
 * completes the stub (reads the document by {@code _id}) or dead-letters it, as the spec's policy says.
 */
final class LargeDocuments {
    /** The stub's field holding the document's BSON size. */
    static final String SIZE_FIELD = "_changeover_large_document_bytes";

    private LargeDocuments() {
    }

    /** The change-stream stages, as the JSON array Debezium's {@code cursor.pipeline} takes. */
    static String pipeline(int largeDocumentBytes) {
        BsonDocument size = new BsonDocument("$bsonSize", new BsonString("$fullDocument"));
        BsonDocument stub = new BsonDocument("_id", new BsonString("$documentKey._id")).append(SIZE_FIELD, size);
        BsonDocument tooLarge = new BsonDocument("$gt", new BsonArray(List.of(size, new BsonInt32(largeDocumentBytes))));
        BsonDocument guarded = new BsonDocument("$cond",
                new BsonArray(List.of(tooLarge, stub, new BsonString("$fullDocument"))));
        List<BsonDocument> stages = List.of(
                new BsonDocument("$set", new BsonDocument("fullDocument", guarded)),
                new BsonDocument("$project", new BsonDocument("updateDescription", new BsonInt32(0))));
        return stages.stream().map(BsonDocument::toJson).collect(Collectors.joining(",", "[", "]"));
    }

    /** The size of the document a stub stands for, or empty if {@code after} is a whole document. */
    static OptionalInt stubSize(BsonDocument after) {
        if (after == null || after.size() != 2 || !after.containsKey("_id")) {
            return OptionalInt.empty();
        }
        BsonValue size = after.get(SIZE_FIELD);
        return size != null && size.isNumber() ? OptionalInt.of(size.asNumber().intValue()) : OptionalInt.empty();
    }
}
