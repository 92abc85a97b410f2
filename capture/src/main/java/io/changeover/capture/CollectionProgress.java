package io.changeover.capture;

/**
 * Snapshot progress of one source collection.
 *
 * @param collection        the source collection
 * @param estimatedCount    the collection's estimated document count when capture started ({@code -1} if unknown)
 * @param snapshotRecords   snapshot reads ({@code op: r}) written to its raw topic so far
 * @param changeEvents      streamed changes ({@code op: c/u/d}) written to its raw topic so far
 */
public record CollectionProgress(SourceCollection collection, long estimatedCount, long snapshotRecords,
        long changeEvents) {
}
