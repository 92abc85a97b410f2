package io.changeover.transform.blob;

/**
 * The object store failed or holds something it should not (an object whose content does not match its key). Not a
 * data error: the transform stops and names the bucket and key.
 */
public class ObjectStoreException extends RuntimeException {
    public ObjectStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public ObjectStoreException(String message) {
        super(message);
    }
}
