package io.changeover.capture;

import java.util.Optional;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

import io.changeover.transform.format.RawRecord;
import io.changeover.transform.format.SourcePosition;

/**
 * How the change events of one kind of source read: which collection an event is of, its position in the source's
 * clock, and the {@link RawRecord.Change} it becomes. One instance per capture, called on the engine's thread in the
 * order Debezium delivers events.
 */
public interface SourceDialect {
    /** The collection a change event's {@code source} block names. */
    SourceCollection collection(Struct source);

    /**
     * Whether changes of {@code collection} are the source's own heartbeats (a row Changeover updates every heartbeat
     * interval so that an idle source's position moves): they move ticks and are written to no raw topic.
     */
    default boolean isHeartbeat(SourceCollection collection) {
        return false;
    }

    /** The source position of any record (change or heartbeat), empty when its offset carries none. */
    Optional<SourcePosition> position(SourceRecord record);

    /** The raw change of one routed change event, at {@code position}. */
    RawRecord.Change convert(SourceRecord record, RoutedRecord.Change route, SourcePosition position);
}
