package io.changeover.sink;

import java.util.List;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;

/**
 * The write that puts a whole document in place of the one its filter matches, or inserts it when none does (upsert).
 *
 * <p>A plain replacement for every document but one with a top-level field name starting with {@code $}. MongoDB 5.0
 * stores such names, but not from a replacement: the driver refuses to send a replacement with one (all but
 * {@code $ref}, {@code $id} and {@code $db}) and the server refuses those three outside a well-formed DBRef. Such a
 * document is written by an update whose pipeline replaces the matched document with the document itself,
 * {@code [{$replaceWith: {$literal: <document>}}]}, which MongoDB 5.0 stores as given. {@code $literal} keeps the
 * server from reading a string such as {@code "$x"} as a field path and a {@code $} name as an operator. The filter and
 * upsert are the same, so the write is guarded exactly as the replacement it stands for ({@link PositionGuard}): a
 * filter that does not match makes the upsert insert an existing {@code _id}, a duplicate key.
 *
 * <p>Names with dots ({@code "a.b"}) need nothing: a replacement stores them as given.
 */
final class Replacement {
    private static final ReplaceOptions REPLACE_UPSERT = new ReplaceOptions().upsert(true);
    private static final UpdateOptions UPDATE_UPSERT = new UpdateOptions().upsert(true);

    private Replacement() {
    }

    /** Replaces the document {@code filter} matches with {@code document} (identified by {@code id}), or inserts it. */
    static WriteModel<BsonDocument> upsert(BsonDocument filter, BsonValue id, BsonDocument document) {
        if (!needsPipeline(document)) {
            return new ReplaceOneModel<>(filter, document, REPLACE_UPSERT);
        }
        return new UpdateOneModel<>(filter, pipeline(id, document), UPDATE_UPSERT);
    }

    /** Whether a replacement cannot carry {@code document}: one of its top-level names starts with {@code $}. */
    static boolean needsPipeline(BsonDocument document) {
        for (String name : document.keySet()) {
            if (name.startsWith("$")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The update pipeline that replaces a document with {@code document} as given. A document without {@code _id}
     * gets {@code id} first, as a replacement keeps the stored {@code _id} (a pipeline may not remove it).
     */
    static List<BsonDocument> pipeline(BsonValue id, BsonDocument document) {
        BsonDocument literal = document;
        if (!document.containsKey("_id")) {
            literal = new BsonDocument("_id", id);
            literal.putAll(document);
        }
        return List.of(new BsonDocument("$replaceWith", new BsonDocument("$literal", literal)));
    }
}
