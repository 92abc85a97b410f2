package io.changeover.schema;

/**
 * What a migration step does (or would do) to one collection's documents.
 *
 * @param collection the collection read
 * @param read       documents read
 * @param changed    documents rewritten in place
 * @param removed    documents removed (filtered out by the spec)
 * @param copied     documents written into another collection (the spec's {@code into})
 */
public record StepCounts(String collection, long read, long changed, long removed, long copied) {

    /** Documents the step changes: rewritten, removed or copied. */
    public long changes() {
        return changed + removed + copied;
    }

    @Override
    public String toString() {
        return String.format("%s: %,d read, %,d changed, %,d removed, %,d copied", collection, read, changed, removed, copied);
    }
}
