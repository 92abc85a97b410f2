package io.changeover.transform.blob;

import java.util.Optional;

/**
 * A content-addressed object store: objects are written once under a key derived from their sha-256
 * ({@link BlobKeys#key}) and never changed. Implementations: {@link FileSystemObjectStore} (default),
 * {@link S3ObjectStore}. Thread-safe.
 */
public interface ObjectStore extends AutoCloseable {

    /**
     * Stores the content unless its object already exists. An existing object is not written again: its size and
     * sha-256 are checked instead, and a mismatch is an {@link ObjectStoreException}. Idempotent, safe to call
     * concurrently for the same content.
     *
     * @return true when the object was written, false when it was already there
     */
    boolean putIfAbsent(BlobUpload upload);

    boolean exists(String bucket, String key);

    /** The object's bytes; empty when there is no such object. */
    Optional<byte[]> read(String bucket, String key);

    /** The sha-256 of the object's bytes as stored (read and hashed, not taken from metadata); empty when missing. */
    Optional<String> sha256Of(String bucket, String key);

    /** A description for messages and logs, e.g. {@code filesystem /var/lib/changeover/objects}. */
    String describe();

    @Override
    default void close() {
    }
}
