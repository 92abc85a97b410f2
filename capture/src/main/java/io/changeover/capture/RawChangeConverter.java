package io.changeover.capture;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.json.JsonParseException;

import io.changeover.transform.format.RawRecord;
import io.changeover.transform.format.SourcePosition;

/**
 * Turns one Debezium MongoDB change event into Changeover's {@link RawRecord.Change}: the document parsed once, here,
 * from Debezium's strict extended JSON (no type lost); the id from the document, or for a delete from Debezium's key
 * (relaxed extended JSON: an int64 that fits in 32 bits reads back as int32, equal under MongoDB's equality, which
 * is what every reader compares with); the position from the source's clock in the event's offset (cluster time of a
 * streamed change; for a snapshot read, the cluster time at which the snapshot started, so reads rank after every
 * change they supersede and before every change streamed after them). Never the capture host's clock.
 */
final class RawChangeConverter {
    private RawChangeConverter() {
    }

    static RawRecord.Change convert(SourceRecord record, RoutedRecord.Change route, SourcePosition position) {
        Struct value = (Struct) record.value();
        RawRecord.Operation operation;
        try {
            operation = RawRecord.Operation.ofCode(route.op());
        } catch (IllegalArgumentException e) {
            throw new CaptureException("Debezium change event of '" + route.collection() + "' at offset "
                    + record.sourceOffset() + ": " + e.getMessage(), e);
        }
        BsonDocument after = operation == RawRecord.Operation.DELETE ? null : document(record, value, route);
        BsonValue id = after != null ? after.get("_id") : keyId(record, route);
        if (id == null) {
            throw new CaptureException("Debezium change event of '" + route.collection() + "' at offset "
                    + record.sourceOffset() + " has a document without _id");
        }
        return new RawRecord.Change(route.collection().collection(), id, operation, after, position, route.snapshot());
    }

    private static BsonDocument document(SourceRecord record, Struct value, RoutedRecord.Change route) {
        String after = value.schema().field("after") == null ? null : value.getString("after");
        if (after == null) {
            return null;    // an update of a document deleted before it could be looked up
        }
        try {
            return BsonDocument.parse(after);
        } catch (JsonParseException e) {
            throw new CaptureException("Debezium change event of '" + route.collection() + "' at offset "
                    + record.sourceOffset() + ": 'after' is not extended JSON: " + e.getMessage(), e);
        }
    }

    private static BsonValue keyId(SourceRecord record, RoutedRecord.Change route) {
        if (!(record.key() instanceof Struct key) || key.schema().field("id") == null || key.getString("id") == null) {
            throw new CaptureException("Debezium delete of '" + route.collection() + "' at offset "
                    + record.sourceOffset() + " has no id in its key " + record.key());
        }
        try {
            return BsonDocument.parse("{\"_id\": " + key.getString("id") + "}").get("_id");
        } catch (JsonParseException e) {
            throw new CaptureException("Debezium delete of '" + route.collection() + "': key id '"
                    + key.getString("id") + "' is not extended JSON", e);
        }
    }
}
