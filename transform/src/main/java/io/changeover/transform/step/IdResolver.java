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
}
