package io.changeover.sink;

/**
 * An output record the sink cannot read (bad key, bad BSON, {@code _id} that disagrees with the key). A data error:
 * the message names the topic, partition and offset at fault.
 */
public class MalformedRecordException extends RuntimeException {
    public MalformedRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
