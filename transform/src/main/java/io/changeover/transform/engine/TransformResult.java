package io.changeover.transform.engine;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import io.changeover.transform.blob.BlobUpload;

/**
 * What a {@link CollectionTransform} made of one source document: the target document (with its target {@code _id}),
 * or "filtered out" (the document has no place in the target), naming the step that filtered it.
 */
public final class TransformResult {
    private final BsonDocument document;
    private final String target;
    private final String filteredBy;
    private final String waitingAt;
    private final CollectionTransform.Suspended suspended;
    private final List<BlobUpload> uploads;

    private TransformResult(BsonDocument document, String target, String filteredBy, String waitingAt,
                            CollectionTransform.Suspended suspended, List<BlobUpload> uploads) {
        this.document = document;
        this.target = target;
        this.filteredBy = filteredBy;
        this.waitingAt = waitingAt;
        this.suspended = suspended;
        this.uploads = List.copyOf(uploads);
    }

    static TransformResult of(BsonDocument document, String target) {
        return of(document, target, List.of());
    }

    static TransformResult of(BsonDocument document, String target, List<BlobUpload> uploads) {
        return new TransformResult(Objects.requireNonNull(document, "document"), Objects.requireNonNull(target), null,
                null, null, uploads);
    }

    static TransformResult filteredOut(String step) {
        return new TransformResult(null, null, step, null, null, List.of());
    }

    static TransformResult waiting(String step, CollectionTransform.Suspended suspended) {
        return new TransformResult(null, null, null, step, suspended, List.of());
    }

    /**
     * Where a waiting transform can go on from when the answers come ({@link CollectionTransform#resume}); empty
     * unless {@link #isWaiting()} (and when the first {@code remap} step is in a route).
     */
    public Optional<CollectionTransform.Suspended> suspended() {
        return Optional.ofNullable(suspended);
    }

    /**
     * True when a {@code remap} step stopped the transform because its {@link io.changeover.transform.step.IdResolver}
     * waits for an answer: there is no result yet (neither a document nor "filtered out"); the document is
     * transformed again when the answer comes. Only a waiting resolver gives this.
     */
    public boolean isWaiting() {
        return waitingAt != null;
    }

    /**
     * Content that {@code dehydrate} steps moved out of the document: it must be in the object store before the
     * document is written (its references point to it). Empty when filtered out.
     */
    public List<BlobUpload> uploads() {
        return uploads;
    }

    /** The target collection the document goes into (a route's, for split collections); empty when filtered out. */
    public Optional<String> target() {
        return Optional.ofNullable(target);
    }

    /** The target document; empty when filtered out. */
    public Optional<BsonDocument> document() {
        return Optional.ofNullable(document);
    }

    /** The target document's {@code _id}; empty when filtered out. */
    public Optional<BsonValue> targetId() {
        return document().map(d -> d.get("_id"));
    }

    public boolean isFilteredOut() {
        return document == null && waitingAt == null;
    }

    /** The step that filtered the document out ({@code step 2 (keep)}); empty when it was kept. */
    public Optional<String> filteredBy() {
        return Optional.ofNullable(filteredBy);
    }

    @Override
    public String toString() {
        if (waitingAt != null) {
            return "TransformResult[waiting for references at " + waitingAt + "]";
        }
        return document != null ? "TransformResult[" + document.toJson() + "]" : "TransformResult[filtered out by " + filteredBy + "]";
    }
}
