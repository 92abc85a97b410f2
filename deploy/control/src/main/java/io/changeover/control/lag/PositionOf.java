package io.changeover.control.lag;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.changeover.transform.format.SourcePosition;

/** Where a record of one kind of topic says its change stands in source time. */
sealed interface PositionOf permits PositionOf.RawRecordPosition, PositionOf.OutputRecordPosition {

    SourcePosition of(ConsumerRecord<byte[], byte[]> record);

    /** A raw record's {@code pos} (changes, ticks and snapshot ends alike), read without decoding the document. */
    record RawRecordPosition() implements PositionOf {
        @Override
        public SourcePosition of(ConsumerRecord<byte[], byte[]> record) {
            return io.changeover.transform.format.RawRecords.position(record.value());
        }
    }

    /** An output record's {@code changeover.position} header; unknown ({@code ZERO}) without one. */
    record OutputRecordPosition() implements PositionOf {
        @Override
        public SourcePosition of(ConsumerRecord<byte[], byte[]> record) {
            return io.changeover.transform.format.OutputRecords.position(record.headers());
        }
    }
}
