package io.changeover.transform.step;

import org.bson.BsonValue;

/**
 * Tells a {@code remap} step which target id a referenced source document got: the ID-remap state. The streaming
 * topology answers from its changelogged stores; the verifier answers from a map it builds from the source in bulk
 * ({@code sourceId -> CollectionTransform.targetId(document)}).
 */
@FunctionalInterface
public interface IdResolver {
    /** A resolver for specs without {@code remap}: any question is a programming error. */
    IdResolver NONE = (collection, sourceId) -> {
        throw new IllegalStateException("this spec remaps references from '" + collection
                + "': call CollectionTransform.apply(document, IdResolver)");
    };

    /** The target id of the document with {@code sourceId} in source collection {@code collection}. */
    Resolution resolve(String collection, BsonValue sourceId);

    /**
     * True once this resolver has answered a question "not known yet" and the document will be transformed again
     * when the answer comes (the streaming topology's resolver): the steps after the {@code remap} that asked would
     * be wasted work, so the transform stops there. A resolver that always answers (the verifier's) never waits.
     */
    default boolean waiting() {
        return false;
    }
}
