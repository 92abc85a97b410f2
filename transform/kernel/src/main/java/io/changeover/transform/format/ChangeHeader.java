package io.changeover.transform.format;

import org.bson.BsonValue;

/**
 * A raw change without its document: enough to route or remember it ({@link RawRecords#header}), read without
 * decoding the document.
 *
 * @param id          the source {@code _id}, exact type
 * @param operation   what happened
 * @param hasDocument whether the change carries the document after it
 */
public record ChangeHeader(BsonValue id, RawRecord.Operation operation, boolean hasDocument) {
    public boolean isDelete() {
        return operation == RawRecord.Operation.DELETE;
    }

    /** An update whose document was gone when capture looked it up ({@link RawRecord.Change#isVanishedUpdate}). */
    public boolean isVanishedUpdate() {
        return operation == RawRecord.Operation.UPDATE && !hasDocument;
    }
}
