package io.changeover.capture;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import io.changeover.transform.format.RawRecord;
import io.changeover.transform.format.RawRecords;
import io.changeover.transform.format.SourcePosition;

/**
 * One change of a raw topic as a test reads it, decoded with {@link RawRecords}, as the transform reads it.
 *
 * @param partition Kafka partition
 * @param offset    Kafka offset
 * @param change    the decoded change
 */
record RawEvent(int partition, long offset, RawRecord.Change change) {
    static RawEvent of(ConsumerRecord<byte[], byte[]> r) {
        return new RawEvent(r.partition(), r.offset(), (RawRecord.Change) RawRecords.read(r.key(), r.value()));
    }

    /** Debezium's op code: r, c, u or d. */
    String op() {
        return change.operation().code();
    }

    BsonDocument after() {
        return change.after();
    }

    SourcePosition position() {
        return change.position();
    }

    BsonValue id() {
        return change.id();
    }
}
