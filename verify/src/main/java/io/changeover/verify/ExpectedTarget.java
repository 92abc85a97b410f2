package io.changeover.verify;

import java.util.Optional;

import org.bson.BsonDocument;

/**
 * The verifier's view of a transform: the target document a source document should become, or empty when it
 * should not be in the target. Implemented with the transform's pure functions, never with the pipeline's state.
 */
@FunctionalInterface
public interface ExpectedTarget {
    Optional<BsonDocument> of(BsonDocument source);
}
