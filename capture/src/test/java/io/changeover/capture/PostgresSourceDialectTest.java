package io.changeover.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

import io.changeover.transform.format.RawRecord;
import io.changeover.transform.format.SourcePosition;

class PostgresSourceDialectTest {
    private static final Schema KEY = SchemaBuilder.struct().field("a", Schema.INT32_SCHEMA)
            .field("b", Schema.STRING_SCHEMA).build();
    private static final Schema ROW = SchemaBuilder.struct().optional().field("a", Schema.INT32_SCHEMA)
            .field("b", Schema.STRING_SCHEMA).field("note", Schema.OPTIONAL_STRING_SCHEMA).build();
    private static final Schema SOURCE = SchemaBuilder.struct().field("db", Schema.STRING_SCHEMA)
            .field("schema", Schema.STRING_SCHEMA).field("table", Schema.STRING_SCHEMA).build();
    private static final Schema VALUE = SchemaBuilder.struct().field("before", ROW).field("after", ROW)
            .field("source", SOURCE).field("op", Schema.STRING_SCHEMA).build();

    private final PostgresSourceDialect dialect = new PostgresSourceDialect(PostgresReplication.HEARTBEAT_TABLE, SourcePosition.ZERO);

    @Test
    void aTableInPublicIsNamedByItselfAnyOtherWithItsSchema() {
        assertThat(dialect.collection(source("public", "links"))).isEqualTo(new SourceCollection("reg", "links"));
        assertThat(dialect.collection(source("archive", "links"))).isEqualTo(new SourceCollection("reg", "archive.links"));
        assertThat(dialect.isHeartbeat(new SourceCollection("reg", "changeover_heartbeat"))).isTrue();
        assertThat(dialect.isHeartbeat(new SourceCollection("reg", "links"))).isFalse();
    }

    @Test
    void aRowIsADocumentKeyedByItsPrimaryKeyColumnsNotRepeated() {
        RawRecord.Change change = dialect.convert(record("u", row(1, "x", "n"), 1_000_000L), route("u"),
                SourcePosition.ofEpochMicros(1_000_000L));
        BsonDocument id = new BsonDocument("a", new BsonInt32(1)).append("b", new BsonString("x"));
        assertThat(change.id()).isEqualTo(id);
        assertThat(change.after()).isEqualTo(new BsonDocument("_id", id).append("note", new BsonString("n")));
        RawRecord.Change delete = dialect.convert(record("d", null, 2_000_000L), route("d"),
                SourcePosition.ofEpochMicros(2_000_000L));
        assertThat(delete.id()).isEqualTo(id);
        assertThat(delete.after()).isNull();
    }

    @Test
    void aPositionNeverFallsBelowTheOneBeforeIt() {
        SourcePosition first = dialect.position(record("c", row(1, "x", null), 5_000_123L)).orElseThrow();
        SourcePosition earlierCommitTime = dialect.position(record("c", row(2, "y", null), 5_000_100L)).orElseThrow();
        SourcePosition later = dialect.position(record("c", row(3, "z", null), 6_000_000L)).orElseThrow();
        assertThat(first).isEqualTo(SourcePosition.ofEpochMicros(5_000_123L));
        assertThat(earlierCommitTime).as("commit order, not commit time").isEqualTo(first);
        assertThat(later).isGreaterThan(first);
        assertThat(later.seconds()).isEqualTo(6);
    }

    @Test
    void aCaptureStartingAgainNeverRanksBelowWhatTheOneBeforeStored() {
        SourcePosition snapshotRead = SourcePosition.ofEpochMicros(9_000_000L);
        PostgresSourceDialect restarted = new PostgresSourceDialect(PostgresReplication.HEARTBEAT_TABLE, snapshotRead);
        assertThat(restarted.position(record("u", row(1, "x", null), 8_999_000L)).orElseThrow())
                .as("committed during the snapshot, streamed after the restart").isEqualTo(snapshotRead);
    }

    @Test
    void anUnrecoveredToastedValueIsRefusedNamingTheColumn() {
        Struct row = row(1, "x", PostgresSourceDialect.UNAVAILABLE);
        assertThatThrownBy(() -> dialect.convert(record("u", row, 1L), route("u"), SourcePosition.ofEpochMicros(1L)))
                .isInstanceOf(CaptureException.class).hasMessageContaining("column 'note' of table 'reg.links'")
                .hasMessageContaining("REPLICA IDENTITY FULL");
    }

    @Test
    void microsecondsKeepCommitTimesApartWithinASecond() {
        assertThat(SourcePosition.ofEpochMicros(7_000_001L)).isGreaterThan(SourcePosition.ofEpochMicros(7_000_000L));
        assertThat(SourcePosition.ofEpochMicros(7_999_999L)).isLessThan(SourcePosition.ofEpochMicros(8_000_000L));
        assertThat(SourcePosition.ofEpochMicros(1_796_652_946_999_999L).seconds()).isEqualTo(1_796_652_946);
    }

    private static RoutedRecord.Change route(String op) {
        return new RoutedRecord.Change("raw", new SourceCollection("reg", "links"), op, false, false);
    }

    private static Struct row(int a, String b, String note) {
        return new Struct(ROW).put("a", a).put("b", b).put("note", note);
    }

    private static Struct source(String schema, String table) {
        return new Struct(SOURCE).put("db", "reg").put("schema", schema).put("table", table);
    }

    private static SourceRecord record(String op, Struct after, long commitMicros) {
        Struct key = new Struct(KEY).put("a", 1).put("b", "x");
        if (after != null) {
            key = new Struct(KEY).put("a", after.getInt32("a")).put("b", after.getString("b"));
        }
        Struct value = new Struct(VALUE).put("after", after).put("source", source("public", "links")).put("op", op);
        return new SourceRecord(Map.of("server", "t"), Map.of("lsn", 1L, "ts_usec", commitMicros), "t", 0, KEY, key,
                VALUE, value);
    }
}
