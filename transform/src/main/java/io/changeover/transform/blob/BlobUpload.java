package io.changeover.transform.blob;

import java.util.Objects;

/**
 * Content that a step moved out of a document: it must be in the object store, under {@link #reference()}, before the
 * document that refers to it is written. Made by {@link #of}; the key is derived from the content's sha-256.
 */
public final class BlobUpload {
    private final BlobReference reference;
    private final byte[] content;

    private BlobUpload(BlobReference reference, byte[] content) {
        this.reference = reference;
        this.content = content;
    }

    /** The upload of this content into a bucket (the array is not copied: callers must not change it). */
    public static BlobUpload of(String bucket, byte[] content) {
        Objects.requireNonNull(content, "content");
        String sha256 = BlobKeys.sha256(content);
        return new BlobUpload(new BlobReference(BlobKeys.bucket(bucket), BlobKeys.key(sha256), content.length, sha256),
                content);
    }

    public BlobReference reference() {
        return reference;
    }

    /** The bytes to store (shared, not copied: read-only). */
    public byte[] content() {
        return content;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlobUpload other && reference.equals(other.reference);
    }

    @Override
    public int hashCode() {
        return reference.hashCode();
    }

    @Override
    public String toString() {
        return "BlobUpload[" + reference + "]";
    }
}
