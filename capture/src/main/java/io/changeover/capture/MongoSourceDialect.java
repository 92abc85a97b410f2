package io.changeover.capture;

import java.util.Optional;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

import io.changeover.transform.format.RawRecord;
import io.changeover.transform.format.SourcePosition;

/** Debezium's MongoDB change events: collection from {@code source.db}/{@code source.collection}, cluster times. */
final class MongoSourceDialect implements SourceDialect {
    @Override
    public SourceCollection collection(Struct source) {
        return new SourceCollection(source.getString("db"), source.getString("collection"));
    }

    @Override
    public Optional<SourcePosition> position(SourceRecord record) {
        return SourcePositions.fromOffset(record.sourceOffset());
    }

    @Override
    public RawRecord.Change convert(SourceRecord record, RoutedRecord.Change route, SourcePosition position) {
        return RawChangeConverter.convert(record, route, position);
    }
}
