package io.changeover.transform.blob;

import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;

/**
 * Where content lives in the object store, and how to check it: the reference document that replaces dehydrated
 * content in a target document is {@code {storage_key, size, sha256, bucket}} ({@link #toDocument()}).
 */
public record BlobReference(String bucket, String key, long size, String sha256) {
    public static final String STORAGE_KEY = "storage_key";
    public static final String SIZE = "size";
    public static final String SHA256 = "sha256";
    public static final String BUCKET = "bucket";

    /** The reference document, fields in this order: storage_key, size (int64), sha256, bucket. */
    public BsonDocument toDocument() {
        return new BsonDocument(STORAGE_KEY, new BsonString(key))
                .append(SIZE, new BsonInt64(size))
                .append(SHA256, new BsonString(sha256))
                .append(BUCKET, new BsonString(bucket));
    }

    /** Reads a reference document; anything else is an {@link IllegalArgumentException}. */
    public static BlobReference fromDocument(BsonDocument document) {
        try {
            return new BlobReference(document.getString(BUCKET).getValue(), document.getString(STORAGE_KEY).getValue(),
                    document.getNumber(SIZE).longValue(), document.getString(SHA256).getValue());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a blob reference {storage_key, size, sha256, bucket}: "
                    + document.toJson(), e);
        }
    }
}
