package io.changeover.sink;

/** The target refused or did not acknowledge a write; the message names the collection and, when known, the record. */
public class SinkWriteException extends RuntimeException {
    private final String collection;

    public SinkWriteException(String collection, String message, Throwable cause) {
        super(message, cause);
        this.collection = collection;
    }

    /** The target collection the failed write was for. */
    public String collection() {
        return collection;
    }
}
