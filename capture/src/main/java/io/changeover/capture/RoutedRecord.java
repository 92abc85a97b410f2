package io.changeover.capture;

/** Where one record from Debezium goes, decided by {@link RecordRouter}. */
public sealed interface RoutedRecord {
    /** The Changeover topic the record is written to. */
    String topic();

    /**
     * A MongoDB change event for a raw topic.
     *
     * @param topic          the raw topic of the collection
     * @param collection     the source collection
     * @param op             Debezium's op code: {@code r}, {@code c}, {@code u} or {@code d}
     * @param snapshot       whether the record comes from the snapshot (Debezium's {@code source.snapshot} not false)
     * @param lastOfSnapshot whether it is the snapshot's last record ({@code source.snapshot = last})
     */
    record Change(String topic, SourceCollection collection, String op, boolean snapshot, boolean lastOfSnapshot)
            implements RoutedRecord {
    }

    /**
     * A Debezium heartbeat for the heartbeat topic.
     *
     * @param topic the heartbeat topic
     */
    record Heartbeat(String topic) implements RoutedRecord {
    }

    /**
     * A tick ({@code io.changeover.transform.format.SourceTicks}) for one raw topic, written by capture itself.
     *
     * @param topic the raw topic
     */
    record Tick(String topic) implements RoutedRecord {
    }
}
