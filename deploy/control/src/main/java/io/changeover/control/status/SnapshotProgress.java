package io.changeover.control.status;

import java.util.List;

/** Where status reads snapshot progress per collection: the running capture in this process, or Kafka from elsewhere. */
public interface SnapshotProgress {

    List<Collection> collections();

    /**
     * Snapshot progress of one source collection.
     *
     * @param collection      source collection
     * @param estimatedCount  estimated source documents (-1 unknown)
     * @param snapshotRecords snapshot reads so far
     * @param changeEvents    changes streamed so far (-1 unknown)
     * @param done            whether its snapshot is finished
     */
    record Collection(String collection, long estimatedCount, long snapshotRecords, long changeEvents, boolean done) {
    }
}
