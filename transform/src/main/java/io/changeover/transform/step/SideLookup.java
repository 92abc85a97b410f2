package io.changeover.transform.step;

import java.util.Optional;

import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Answers a {@code lookup} step: the current document of a side collection with a given {@code _id}. The streaming
 * topology answers from a changelogged store fed by the side collection's raw topic; the verifier can answer by
 * reading the side collection directly.
 */
@FunctionalInterface
public interface SideLookup {
    /** A lookup for specs without {@code lookup} steps: any question is a programming error. */
    SideLookup NONE = (collection, id) -> {
        throw new IllegalStateException("this spec looks documents up in '" + collection
                + "': call CollectionTransform.apply(document, IdResolver, SideLookup)");
    };

    /** The source document of side collection {@code collection} whose {@code _id} is {@code id}; empty if none. */
    Optional<BsonDocument> find(String collection, BsonValue id);
}
