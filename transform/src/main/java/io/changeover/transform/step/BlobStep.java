package io.changeover.transform.step;

import java.util.List;
import java.util.Optional;

import org.bson.BsonDocument;

import io.changeover.transform.blob.BlobUpload;

/**
 * A step that moves content out of documents into the object store ({@code dehydrate}). Still a pure function: it
 * returns the document with references in place of the content, and the content to upload, which the streaming
 * processor stores (idempotently) before it writes the document. {@link #apply} alone gives the same document without
 * the uploads: what the verifier needs to compute the expected target.
 */
public interface BlobStep extends Step {

    /** The next document (empty: filtered out) and the content its references point to. */
    record Dehydration(Optional<BsonDocument> document, List<BlobUpload> uploads) {
        public Dehydration {
            uploads = List.copyOf(uploads);
        }
    }

    Dehydration dehydrate(BsonDocument document);

    @Override
    default Optional<BsonDocument> apply(BsonDocument document) {
        return dehydrate(document).document();
    }
}
