package io.changeover.sink;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;

import io.changeover.transform.format.OutputRecords;

/**
 * Reads records in the output-topic format ({@code docs/topics.md}). The value is wrapped as a
 * {@link RawBsonDocument} without being parsed field by field.
 */
public final class OutputRecordDecoder {
    private OutputRecordDecoder() {
    }

    /** Decodes one record; throws {@link MalformedRecordException} naming the record when it is not readable. */
    public static OutputRecord decode(ConsumerRecord<byte[], byte[]> record) {
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        BsonValue id = id(record, where);
        RawBsonDocument document = document(record, where);
        if (document != null) {
            checkIdAgrees(id, document, where);
        }
        return new OutputRecord(record.topic(), record.partition(), record.offset(), id, document,
                OutputRecords.position(record.headers()), record.value() == null ? 0 : record.value().length);
    }

    private static BsonValue id(ConsumerRecord<byte[], byte[]> record, String where) {
        if (record.key() == null) {
            throw new MalformedRecordException("output record " + where + " has no key (expected {\"_id\": ...})", null);
        }
        try {
            BsonValue id = OutputRecords.id(record.key());
            if (id == null) {
                throw new MalformedRecordException("output record " + where + " has a key without _id", null);
            }
            return id;
        } catch (RuntimeException e) {
            if (e instanceof MalformedRecordException m) {
                throw m;
            }
            throw new MalformedRecordException("output record " + where + " has a key that is not extended JSON "
                    + "{\"_id\": ...}: " + e.getMessage(), e);
        }
    }

    private static RawBsonDocument document(ConsumerRecord<byte[], byte[]> record, String where) {
        if (record.value() == null) {
            return null;
        }
        try {
            RawBsonDocument document = new RawBsonDocument(record.value());
            document.size(); // walks the top-level fields: a truncated or garbled value fails here
            return document;
        } catch (RuntimeException e) {
            throw new MalformedRecordException("output record " + where + " has a value that is not a BSON document: "
                    + e.getMessage(), e);
        }
    }

    private static void checkIdAgrees(BsonValue id, RawBsonDocument document, String where) {
        BsonValue inDocument = document.get("_id");
        if (inDocument != null && !inDocument.equals(id)) {
            throw new MalformedRecordException("output record " + where + " has _id " + inDocument
                    + " in its value but " + id + " in its key", null);
        }
    }
}
