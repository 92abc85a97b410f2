package io.changeover.sink;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import io.changeover.transform.format.SourcePosition;

/**
 * One decoded record of an output topic: where it was read, the target {@code _id}, the document to store (null for a
 * delete) and the source position of the change that produced it.
 *
 * @param topic     output topic it was read from
 * @param partition partition of that topic
 * @param offset    offset in that partition
 * @param id        target {@code _id}, from the record key
 * @param document  target document, or null when the record is a tombstone (delete)
 * @param position  source position from the {@code changeover.position} header ({@link SourcePosition#ZERO} if none)
 * @param sizeBytes size of the record value in bytes (0 for a tombstone)
 */
public record OutputRecord(String topic, int partition, long offset, BsonValue id, BsonDocument document,
                           SourcePosition position, int sizeBytes) {

    public boolean isDelete() {
        return document == null;
    }

    /** Where the record was read and which document it is about, for error messages and logs. */
    public String describe() {
        return topic + "-" + partition + "@" + offset + " (_id " + new BsonDocument("_id", id).toJson() + ")";
    }
}
