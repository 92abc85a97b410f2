package io.changeover.sink;

import java.util.Optional;

/** The target refused or did not acknowledge a write; the message names the collection and, when known, the record. */
public class SinkWriteException extends RuntimeException {
    private final String collection;
    private final OutputRecord record;

    public SinkWriteException(String collection, OutputRecord record, String message, Throwable cause) {
        super(message, cause);
        this.collection = collection;
        this.record = record;
    }

    /** The target collection the failed write was for. */
    public String collection() {
        return collection;
    }

    /** The record the target refused, when the error names one (a write error, not a lost connection). */
    public Optional<OutputRecord> record() {
        return Optional.ofNullable(record);
    }
}
