package io.changeover.verify;

import java.util.List;

/**
 * What verification found for one target collection.
 *
 * @param target        target collection
 * @param sourceCount   source documents read (over every source collection that goes into {@code target})
 * @param expectedCount documents the transform puts in the target (in the sample, when sampled)
 * @param targetCount   documents found in the target
 * @param missing       expected but absent
 * @param extra         present but not expected
 * @param different     present with other content
 * @param dangling      references to a target document that does not exist (and should)
 * @param blobMissing   blob references whose object is not in the object store
 * @param blobAltered   blob references whose object's sha-256 is not the referenced one
 * @param rejected      source documents the spec rejects (e.g. failing the target schema of a {@code validate}
 *                      step): they belong in the dead-letter topic, and any of them in the target shows as extra
 * @param resolved      differences seen at first that were gone when checked again (in flight in the pipeline)
 * @param samples       the first differences found, for the report (bounded)
 */
public record CollectionReport(String target, long sourceCount, long expectedCount, long targetCount,
                               long missing, long extra, long different, long dangling, long blobMissing,
                               long blobAltered, long rejected, long resolved, List<Difference> samples) {
    public CollectionReport {
        samples = List.copyOf(samples);
    }

    /** Real differences: everything but rejected documents and resolved in-flight differences. */
    public long mismatches() {
        return missing + extra + different + dangling + blobMissing + blobAltered;
    }
}
