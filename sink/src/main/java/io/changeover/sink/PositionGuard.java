package io.changeover.sink;

import java.util.List;
import java.util.Map;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonValue;

import io.changeover.transform.format.SourcePosition;

/**
 * The per-document order guard of the sink (see {@code docs/sink.md}). Every document the sink writes carries the
 * source position of the change that produced it in {@value #FIELD}; a write (replace or delete) only matches a
 * document whose stored position is not newer than the record's. A replace that does not match becomes an insert of
 * an {@code _id} that exists, which the target refuses with a duplicate key: the sink reads that as "a newer version
 * is already there" and skips the record.
 *
 * <p>Equal positions match, so a replay of the same changes (for instance through a changed transform) rewrites the
 * documents with the replayed result; only strictly older records are refused.
 */
public final class PositionGuard {
    /** The field holding the source position (BSON int64, {@link SourcePosition#value()}) in target documents. */
    public static final String FIELD = "_changeover_position";

    private PositionGuard() {
    }

    /** Matches {@code id} when its stored position is at most {@code position} (or it has none). */
    public static BsonDocument filter(BsonValue id, SourcePosition position) {
        BsonDocument notNewer = new BsonDocument(FIELD, new BsonDocument("$lte", new BsonInt64(position.value())));
        BsonDocument unmarked = new BsonDocument(FIELD, new BsonDocument("$exists", BsonBoolean.FALSE));
        return new BsonDocument("_id", id).append("$or", new BsonArray(List.of(notNewer, unmarked)));
    }

    /** The document to store: {@code document}'s fields followed by the position field. */
    public static BsonDocument stamped(BsonDocument document, SourcePosition position) {
        BsonDocument copy = new BsonDocument();
        for (Map.Entry<String, BsonValue> field : document.entrySet()) {
            if (!FIELD.equals(field.getKey())) {
                copy.put(field.getKey(), field.getValue());
            }
        }
        copy.put(FIELD, new BsonInt64(position.value()));
        return copy;
    }

    /** The stored position of a target document ({@link SourcePosition#ZERO} when it has none). */
    public static SourcePosition of(BsonDocument stored) {
        BsonValue value = stored == null ? null : stored.get(FIELD);
        return value != null && value.isNumber() ? new SourcePosition(value.asNumber().longValue()) : SourcePosition.ZERO;
    }

    /** {@code document} without the sink's position field (what services read after cutover). */
    public static BsonDocument unstamped(BsonDocument document) {
        if (!document.containsKey(FIELD)) {
            return document;
        }
        BsonDocument copy = new BsonDocument();
        document.forEach((k, v) -> {
            if (!FIELD.equals(k)) {
                copy.put(k, v);
            }
        });
        return copy;
    }
}
