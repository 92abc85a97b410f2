package io.changeover.capture;

import java.util.Map;
import java.util.Optional;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import io.changeover.transform.format.RawRecord;
import io.changeover.transform.format.SourcePosition;

/**
 * Debezium's PostgreSQL change events as documents: a row becomes a document keyed by its primary key ({@code _id}
 * the key column's value, or a document of the key columns when the key has several; the key columns are not
 * repeated as fields), the other columns its fields in table order, values by {@link ConnectValues}. The collection
 * is the table ({@code table} in schema {@code public}, else {@code schema.table}).
 *
 * <p>Positions are commit times ({@link SourcePosition#ofEpochMicros}, from the offset's {@code ts_usec}: every change
 * of a transaction carries its commit time), never lower than the position before: Debezium delivers transactions in
 * commit order, and two commit times may be a few microseconds out of that order, so each position is the highest
 * seen so far, and never lower than what an earlier capture stored. Snapshot reads carry the time of their read, and the
 * first changes streamed after the snapshot rank at or above its last read (a tie goes to the one written later, the
 * streamed change), after a restart too.
 */
final class PostgresSourceDialect implements SourceDialect {
    /** Debezium's placeholder for a TOASTed value it could not recover (REPLICA IDENTITY not FULL). */
    static final String UNAVAILABLE = "__debezium_unavailable_value";

    private final String heartbeatTable;
    private SourcePosition highest;

    /**
     * @param heartbeatTable the heartbeat table as {@link #collection} names it
     * @param floor          the highest position a capture before this one stored: a transaction committed during
     *                       the snapshot but streamed only after a restart still ranks at or above the snapshot's reads
     */
    PostgresSourceDialect(String heartbeatTable, SourcePosition floor) {
        this.heartbeatTable = heartbeatTable;
        this.highest = floor;
    }

    @Override
    public SourceCollection collection(Struct source) {
        String schema = source.getString("schema");
        String table = source.getString("table");
        return new SourceCollection(source.getString("db"), "public".equals(schema) ? table : schema + "." + table);
    }

    @Override
    public boolean isHeartbeat(SourceCollection collection) {
        return collection.collection().equals(heartbeatTable);
    }

    @Override
    public Optional<SourcePosition> position(SourceRecord record) {
        return SourcePositions.fromOffset(record.sourceOffset()).map(natural -> {
            if (natural.compareTo(highest) > 0) {
                highest = natural;
            }
            return highest;
        });
    }

    @Override
    public RawRecord.Change convert(SourceRecord record, RoutedRecord.Change route, SourcePosition position) {
        RawRecord.Operation operation = RawRecord.Operation.ofCode(route.op());
        Struct key = key(record, route);
        BsonValue id = id(key);
        BsonDocument after = null;
        if (operation != RawRecord.Operation.DELETE) {
            Struct row = ((Struct) record.value()).getStruct("after");
            if (row == null) {
                throw new CaptureException("Debezium " + operation + " of table '" + route.collection()
                        + "' with key " + key + " carries no row");
            }
            after = document(id, key, row, route);
        }
        return new RawRecord.Change(route.collection().collection(), id, operation, after, position, route.snapshot());
    }

    private static Struct key(SourceRecord record, RoutedRecord.Change route) {
        if (!(record.key() instanceof Struct key) || key.schema().fields().isEmpty()) {
            throw new CaptureException("Debezium change of table '" + route.collection() + "' at offset "
                    + record.sourceOffset() + " has no primary key: every captured table needs one");
        }
        return key;
    }

    private static BsonValue id(Struct key) {
        if (key.schema().fields().size() == 1) {
            Field only = key.schema().fields().get(0);
            return ConnectValues.value(only.schema(), key.get(only));
        }
        return ConnectValues.document(key);
    }

    private static BsonDocument document(BsonValue id, Struct key, Struct row, RoutedRecord.Change route) {
        BsonDocument document = new BsonDocument("_id", id);
        for (Field field : row.schema().fields()) {
            if (key.schema().field(field.name()) != null) {
                continue;
            }
            Object value = row.get(field);
            if (UNAVAILABLE.equals(value) || value instanceof byte[] b && UNAVAILABLE.equals(new String(b,
                    java.nio.charset.StandardCharsets.UTF_8))) {
                throw new CaptureException("Debezium could not recover the unchanged TOASTed column '" + field.name()
                        + "' of table '" + route.collection() + "' (key " + id + "): set REPLICA IDENTITY FULL on it");
            }
            document.put(field.name(), ConnectValues.value(field.schema(), value));
        }
        return document;
    }

    /** The offset keys a PostgreSQL offset has and a MongoDB one has not. */
    static boolean isPostgresOffset(Map<String, ?> offset) {
        return offset.containsKey("lsn") && offset.containsKey("ts_usec");
    }
}
