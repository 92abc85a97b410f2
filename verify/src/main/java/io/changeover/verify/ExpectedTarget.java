package io.changeover.verify;

import java.util.List;
import java.util.Set;

import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * The verifier's view of how one source collection becomes target documents: computed with the transform's pure
 * functions from the source alone, never from the pipeline's topics or state stores.
 */
public interface ExpectedTarget {
    /** The source collection read. */
    String sourceCollection();

    /** Every target collection this source collection writes to. */
    List<String> targets();

    /** What each document of a batch of source documents becomes, in the batch's order. */
    List<Expectation> of(List<BsonDocument> sources);

    /**
     * The target document when several source documents map to one target {@code _id} (dedupe), given their
     * documents in the order of their source-id keys' bytes. Without a dedupe policy: the last one.
     */
    default BsonDocument combine(List<Candidate> candidates) {
        return candidates.get(candidates.size() - 1).document();
    }

    /** References in this collection's target documents that must point at existing target documents. */
    default List<ReferenceRule> references() {
        return List.of();
    }

    /**
     * Source ids a target document of this collection names (the old id a {@code rehash-id} step keeps): a recheck
     * reads those source documents too, since one may have joined the target id after the first check. Empty when
     * target documents name none.
     */
    default Set<BsonValue> sourceIdsNamedBy(BsonDocument targetDocument) {
        return Set.of();
    }

    /** One source document of a dedupe group: its source-id key bytes and its expected document. */
    record Candidate(byte[] sourceKey, BsonDocument document) {
    }

    /**
     * What one source document becomes.
     *
     * @param sourceId   its source {@code _id}
     * @param target     the target collection, or null when it has no target document
     * @param document   the expected target document, or null (filtered out, or rejected)
     * @param rejection  why the spec rejects it (a data error, e.g. failing the schema of a {@code validate} step):
     *                   it belongs in the dead-letter topic, not in the target; null otherwise
     * @param unresolved source ids it references that have no target document (kept as they are by the spec's
     *                   {@code missing} policy): a reference to them is expected to dangle
     */
    record Expectation(BsonValue sourceId, String target, BsonDocument document, String rejection,
                       Set<BsonValue> unresolved) {
        public static Expectation filteredOut(BsonValue sourceId) {
            return new Expectation(sourceId, null, null, null, Set.of());
        }

        public static Expectation rejected(BsonValue sourceId, String reason) {
            return new Expectation(sourceId, null, null, reason, Set.of());
        }
    }

    /**
     * A reference field of target documents.
     *
     * @param field      dotted path (through arrays) of the reference in the target document
     * @param collection the target collection whose {@code _id} it holds
     */
    record ReferenceRule(String field, String collection) {
    }
}
