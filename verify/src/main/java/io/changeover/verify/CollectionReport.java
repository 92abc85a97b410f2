package io.changeover.verify;

import java.util.List;

/**
 * What verification found for one target collection.
 *
 * @param target        target collection
 * @param sourceCount   source documents read (over every source collection that goes into {@code target})
 * @param expectedCount documents the transform puts in the target
 * @param targetCount   documents found in the target
 * @param missing       expected but absent
 * @param extra         present but not expected
 * @param different     present with other content
 * @param samples       the first differences found, for the report (bounded)
 */
public record CollectionReport(String target, long sourceCount, long expectedCount, long targetCount,
                               long missing, long extra, long different, List<Difference> samples) {

    public long mismatches() {
        return missing + extra + different;
    }
}
