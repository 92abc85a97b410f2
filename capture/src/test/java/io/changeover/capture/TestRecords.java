package io.changeover.capture;

import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/** Connect records shaped like the ones Debezium's MongoDB connector emits, for unit tests. */
final class TestRecords {
    static final Schema KEY = SchemaBuilder.struct().name("key").field("id", Schema.STRING_SCHEMA).build();
    static final Schema SOURCE = SchemaBuilder.struct().name("io.debezium.connector.mongo.Source")
            .field("db", Schema.STRING_SCHEMA)
            .field("collection", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.INT64_SCHEMA)
            .field("ord", Schema.INT32_SCHEMA)
            .field("snapshot", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    static final Schema ENVELOPE = SchemaBuilder.struct().name("changeover-m.legacy.jobs.Envelope")
            .field("after", Schema.OPTIONAL_STRING_SCHEMA)
            .field("source", SOURCE)
            .field("op", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
            .build();
    static final Schema HEARTBEAT_KEY = SchemaBuilder.struct().name("io.debezium.connector.common.ServerNameKey")
            .field("serverName", Schema.STRING_SCHEMA).build();
    static final Schema HEARTBEAT_VALUE = SchemaBuilder.struct().name(RecordRouter.HEARTBEAT_SCHEMA)
            .field("ts_ms", Schema.INT64_SCHEMA).build();

    private TestRecords() {
    }

    static SourceRecord change(String db, String coll, String op, String snapshot, int sec, int ord, String after) {
        Struct source = new Struct(SOURCE).put("db", db).put("collection", coll).put("ts_ms", sec * 1000L)
                .put("ord", ord).put("snapshot", snapshot);
        Struct value = new Struct(ENVELOPE).put("after", after).put("source", source).put("op", op)
                .put("ts_ms", 1_700_000_000_123L);
        Struct key = new Struct(KEY).put("id", "{\"$oid\": \"5f0000000000000000000001\"}");
        return new SourceRecord(Map.of("server_id", "changeover-m"), offset(sec, ord),
                "changeover-m." + db + "." + coll, null, KEY, key, ENVELOPE, value);
    }

    static SourceRecord heartbeat(int sec, int ord) {
        return new SourceRecord(Map.of("server_id", "changeover-m"), offset(sec, ord),
                "__debezium-heartbeat.changeover-m", null, HEARTBEAT_KEY,
                new Struct(HEARTBEAT_KEY).put("serverName", "changeover-m"), HEARTBEAT_VALUE,
                new Struct(HEARTBEAT_VALUE).put("ts_ms", 1_700_000_000_000L));
    }

    static Map<String, Object> offset(int sec, int ord) {
        return Map.of("sec", sec, "ord", ord, "resume_token", "8200000001");
    }
}
