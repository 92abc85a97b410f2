package io.changeover.sink;

import java.util.List;

/** Writes the last state of each document of a batch to one target collection (MongoDB) or its tables (SQL). */
public interface BatchApplier {
    /**
     * Writes {@code records} (read order) of {@code collection}; returns once the target acknowledged every write.
     * Throws what {@link WriteErrors#isRetriable} accepts when the same call may succeed later.
     */
    AppliedBatch apply(String collection, List<OutputRecord> records);
}
