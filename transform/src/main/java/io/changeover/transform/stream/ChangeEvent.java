package io.changeover.transform.stream;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import io.changeover.transform.format.SourcePosition;

/**
 * One Debezium MongoDB change event, as read from a raw topic.
 *
 * @param sourceId  the source document's {@code _id}, from the record key
 * @param operation what happened
 * @param after     the full document after the change; null for deletes
 * @param position  where the change stands in the source's operation log
 */
public record ChangeEvent(BsonValue sourceId, Operation operation, BsonDocument after, SourcePosition position) {
    /** Debezium's {@code op}: r (snapshot read), c (insert), u (update or replace), d (delete). */
    public enum Operation { READ, CREATE, UPDATE, DELETE }

    public boolean isDelete() {
        return operation == Operation.DELETE;
    }

    /**
     * An update of a document that was deleted before its state could be read ({@code after} is null): it carries
     * no state and is skipped; the delete event that follows removes the document.
     */
    public boolean isVanishedUpdate() {
        return operation == Operation.UPDATE && after == null;
    }
}
