package io.changeover.transform.step;

import java.util.Optional;

import org.bson.BsonDocument;

/**
 * One compiled transform step: a pure function from a document to the next document.
 *
 * <p>A step never mutates its input: it returns a new document (which may share unchanged sub-documents with the
 * input, so callers treat both as read-only). It returns {@link Optional#empty()} when the document is filtered out
 * (it has no place in the target). A document it cannot handle makes it throw an unchecked exception whose message
 * says what was wrong; the caller adds the collection and step.
 */
@FunctionalInterface
public interface Step {
    Optional<BsonDocument> apply(BsonDocument document);

    /** Steps that read the ID-remap state ({@code remap}) override this; the others ignore {@code ids}. */
    default Optional<BsonDocument> apply(BsonDocument document, IdResolver ids) {
        return apply(document);
    }

    /**
     * False only when the step can never change the document's {@code _id}, so a collection made of such steps keeps
     * every source id as its target id and needs no ownership of target ids. Unknown steps (Java) may.
     */
    default boolean mayChangeId() {
        return true;
    }
}
