package io.changeover.transform.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonRegularExpression;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import io.changeover.transform.format.SourcePosition;

/** Raw records as capture writes them (docs/topics.md), and what a malformed one is reported as. */
class ChangeEventParserTest {
    private static final byte[] KEY = bytes("{\"id\": \"{\\\"$oid\\\": \\\"5f1d7a3e9b1e8a2c4d6f8a10\\\"}\"}");
    private static final String AFTER = "{\\\"_id\\\": {\\\"$oid\\\": \\\"5f1d7a3e9b1e8a2c4d6f8a10\\\"}, "
            + "\\\"status\\\": \\\"done \\\\\\\"quoted\\\\\\\" caf\\u00e9\\\", \\\"n\\\": {\\\"$numberLong\\\": \\\"42\\\"}}";
    private static final BsonDocument DOCUMENT = BsonDocument.parse(
            "{\"_id\": {\"$oid\": \"5f1d7a3e9b1e8a2c4d6f8a10\"}, \"status\": \"done \\\"quoted\\\" café\", "
                    + "\"n\": {\"$numberLong\": \"42\"}}");

    @Test
    void insertCarriesIdDocumentAndPosition() {
        ChangeEvent event = ChangeEventParser.parse(KEY, envelope("c", "\"" + AFTER + "\"", 1763718000123L, 3));

        assertThat(event.sourceId()).isEqualTo(new BsonObjectId(new ObjectId("5f1d7a3e9b1e8a2c4d6f8a10")));
        assertThat(event.operation()).isEqualTo(ChangeEvent.Operation.CREATE);
        assertThat(event.after()).isEqualTo(DOCUMENT);
        assertThat(event.position()).isEqualTo(SourcePosition.of(1763718000, 3));
    }

    @Test
    void updateWithADocumentAndWithoutOne() {
        ChangeEvent update = ChangeEventParser.parse(KEY, envelope("u", "\"" + AFTER + "\"", 1763718001000L, 1));
        ChangeEvent vanished = ChangeEventParser.parse(KEY, envelope("u", "null", 1763718001000L, 2));

        assertThat(update.after()).isEqualTo(DOCUMENT);
        assertThat(update.isVanishedUpdate()).isFalse();
        assertThat(vanished.isVanishedUpdate()).isTrue();
        assertThat(vanished.position()).isEqualTo(SourcePosition.of(1763718001, 2));
    }

    @Test
    void deleteHasNoDocumentWithOrWithoutAfter() {
        ChangeEvent withNull = ChangeEventParser.parse(KEY, envelope("d", "null", 1763718002000L, 1));
        ChangeEvent without = ChangeEventParser.parse(KEY,
                bytes("{\"op\": \"d\", \"source\": {\"ts_ms\": 1763718002000, \"ord\": 1}}"));

        assertThat(withNull.isDelete()).isTrue();
        assertThat(withNull.after()).isNull();
        assertThat(without.after()).isNull();
        assertThat(without.position()).isEqualTo(withNull.position());
    }

    @Test
    void aHeaderSaysWhatParseSaysWithoutTheDocument() {
        byte[] relaxed = bytes("{op: 'c', after: '{\"_id\": 1}', source: {ts_ms: 1763718000123, ord: 3}}");
        for (byte[] value : new byte[][] {envelope("c", "\"" + AFTER + "\"", 1763718000123L, 3),
                envelope("u", "null", 1763718001000L, 2), envelope("d", "null", 1763718002000L, 1), relaxed}) {
            ChangeEvent event = ChangeEventParser.parse(KEY, value);
            ChangeEventParser.Header header = ChangeEventParser.header(KEY, value);

            assertThat(header.sourceId()).isEqualTo(event.sourceId());
            assertThat(header.operation()).isEqualTo(event.operation());
            assertThat(header.hasDocument()).isEqualTo(event.after() != null);
            assertThat(header.isDelete()).isEqualTo(event.isDelete());
            assertThat(header.isVanishedUpdate()).isEqualTo(event.isVanishedUpdate());
        }
        assertThatThrownBy(() -> ChangeEventParser.header(null, bytes("{\"tick\": 1, \"partitions\": 1}")))
                .isInstanceOf(ChangeEventException.class);
    }

    @Test
    void snapshotReadRanksBeforeChangesOfItsSecond() {
        ChangeEvent read = ChangeEventParser.parse(KEY, envelope("r", "\"" + AFTER + "\"", 1763718000999L, -1));

        assertThat(read.operation()).isEqualTo(ChangeEvent.Operation.READ);
        assertThat(read.position()).isEqualTo(SourcePosition.of(1763718000 - ChangeEventParser.SNAPSHOT_SKEW_SECONDS, 0));
    }

    @Test
    void fieldOrderAndOtherFieldsDoNotMatter() {
        byte[] value = bytes("{\"source\": {\"db\": \"legacy\", \"ord\": 3, \"snapshot\": \"false\", \"ts_ms\": 1763718000123,"
                + " \"extra\": [1, 2.5, true, null, {\"a\": [\"b\"]}]}, \"updateDescription\": {\"removedFields\": [\"x\"]},"
                + " \"ts_ms\": 1763718000200, \"after\": \"" + AFTER + "\", \"op\": \"c\"}");

        ChangeEvent event = ChangeEventParser.parse(KEY, value);

        assertThat(event.after()).isEqualTo(DOCUMENT);
        assertThat(event.position()).isEqualTo(SourcePosition.of(1763718000, 3));
    }

    @Test
    void debeziumEnvelopesAreReadInOnePass() {
        assertThat(ChangeEventParser.readsInOnePass(envelope("c", "\"" + AFTER + "\"", 1763718000123L, 3))).isTrue();
        assertThat(ChangeEventParser.readsInOnePass(envelope("u", "null", 1763718000123L, 3))).isTrue();
        assertThat(ChangeEventParser.readsInOnePass(envelope("d", "null", 1763718000123L, 3))).isTrue();
    }

    @Test
    void documentsReadInOnePassEqualWhatTheDocumentReaderGives() {
        BsonDocument job = new BsonDocument("_id", new BsonObjectId(new ObjectId("5f1d7a3e9b1e8a2c4d6f8a10")))
                .append("small", new BsonInt32(-7)).append("zero", new BsonInt32(0))
                .append("big", new BsonInt64(1L << 40)).append("smallLong", new BsonInt64(5))
                .append("ratio", new BsonDouble(0.1)).append("whole", new BsonDouble(3.0))
                .append("tiny", new BsonDouble(1e-300)).append("huge", new BsonDouble(-2.5e300))
                .append("created", new BsonDateTime(1763718000123L)).append("before1970", new BsonDateTime(-86_400_000L))
                .append("flag", BsonBoolean.TRUE).append("off", BsonBoolean.FALSE).append("none", BsonNull.VALUE)
                .append("content", new BsonBinary(new byte[] {0, 1, 2, (byte) 255, 127}))
                .append("empty", new BsonBinary(new byte[0]))
                .append("text", new BsonString("tab\t quote\" backslash\\ slash/ é 中 \uD83D\uDE00 \u0001"))
                .append("input_data", new BsonDocument("name", new BsonString("n")).append("params",
                        new BsonDocument("evalue", new BsonDouble(0.001)).append("nested", new BsonDocument())))
                .append("pssm", new BsonArray(List.of(new BsonDocument("pos", new BsonInt32(1)).append("A", new BsonInt32(-3)),
                        new BsonArray(), new BsonArray(List.of(BsonNull.VALUE, new BsonString("x"))))))
                .append("", new BsonString("empty key")).append("a.b", new BsonString("dotted key"));
        String strict = job.toJson(JsonWriterSettings.builder().outputMode(JsonMode.STRICT).build());
        byte[] value = envelope("c", quoted(strict), 1763718000123L, 3);

        assertThat(ChangeEventParser.readsInOnePass(value)).isTrue();
        BsonDocument after = ChangeEventParser.parse(KEY, value).after();
        assertThat(after).isEqualTo(BsonDocument.parse(strict)).isEqualTo(job);
        assertThat(List.copyOf(after.keySet())).isEqualTo(List.copyOf(job.keySet()));
    }

    @Test
    void otherExtendedJsonTypesAreReadByTheDocumentReader() {
        List<BsonDocument> documents = List.of(
                new BsonDocument("d", new BsonDecimal128(Decimal128.parse("1.10"))),
                new BsonDocument("t", new BsonTimestamp(1763718000, 4)),
                new BsonDocument("r", new BsonRegularExpression("^a", "i")),
                new BsonDocument("u", new BsonBinary(BsonBinarySubType.UUID_STANDARD, new byte[16])),
                new BsonDocument("n", new BsonDocument("$dollar", new BsonInt32(1))));
        for (BsonDocument document : documents) {
            String strict = document.toJson(JsonWriterSettings.builder().outputMode(JsonMode.STRICT).build());
            byte[] value = envelope("c", quoted(strict), 1763718000123L, 3);

            assertThat(ChangeEventParser.readsInOnePass(value)).as(strict).isFalse();
            assertThat(ChangeEventParser.parse(KEY, value).after()).as(strict).isEqualTo(BsonDocument.parse(strict));
        }
    }

    @Test
    void duplicateKeysKeepTheFirstPlaceAndTheLastValueAsBefore() {
        String json = "{\"a\": 1, \"b\": 2, \"a\": 3}";

        BsonDocument after = ChangeEventParser.parse(KEY, envelope("c", quoted(json), 1763718000123L, 3)).after();

        assertThat(after).isEqualTo(BsonDocument.parse(json));
        assertThat(List.copyOf(after.keySet())).isEqualTo(List.copyOf(BsonDocument.parse(json).keySet()));
    }

    @Test
    void envelopesTheStreamingReaderLeavesAsideAreReadAsBefore() {
        // numbers as a double and as extended JSON, a key starting with $, a relaxed-JSON envelope: all valid
        byte[] doubleTs = bytes("{\"op\": \"c\", \"after\": \"{\\\"_id\\\": 1}\", \"source\": {\"ts_ms\": 1763718000123.0, \"ord\": 3}}");
        byte[] extendedOrd = bytes("{\"op\": \"c\", \"after\": \"{\\\"_id\\\": 1}\", \"source\": {\"ts_ms\": 1763718000123, "
                + "\"ord\": {\"$numberLong\": \"3\"}}}");
        byte[] relaxed = bytes("{op: 'c', after: '{\"_id\": 1}', source: {ts_ms: 1763718000123, ord: 3}}");

        for (byte[] value : new byte[][] {doubleTs, extendedOrd, relaxed}) {
            assertThat(ChangeEventParser.readsInOnePass(value)).isFalse();
            ChangeEvent event = ChangeEventParser.parse(KEY, value);
            assertThat(event.after()).isEqualTo(new BsonDocument("_id", new BsonInt32(1)));
            assertThat(event.position()).isEqualTo(SourcePosition.of(1763718000, 3));
        }
    }

    @Test
    void malformedRecordsNameThePartAtFault() {
        assertFails(null, "value: is missing (null)");
        assertFails(bytes("not json"), "value: is not a JSON object: ");
        assertFails(bytes(""), "value: is not a JSON object: ");
        assertFails(envelope("x", "\"{}\"", 1L, 1), "op: expected r, c, u or d, got x");
        assertFails(bytes("{\"after\": \"{}\", \"source\": {\"ts_ms\": 1, \"ord\": 1}}"), "op: expected r, c, u or d, got null");
        assertFails(envelope("c", "null", 1L, 1), "after: expected the document as extended JSON text, got BsonNull");
        assertFails(bytes("{\"op\": \"c\", \"source\": {\"ts_ms\": 1, \"ord\": 1}}"),
                "after: expected the document as extended JSON text, got null");
        assertFails(bytes("{\"op\": \"u\", \"source\": {\"ts_ms\": 1, \"ord\": 1}}"),
                "after: expected the document as extended JSON text, got null");
        assertFails(envelope("c", "{\"_id\": 1}", 1L, 1), "after: expected the document as extended JSON text, got {");
        assertFails(envelope("c", "\"{broken\"", 1L, 1), "after: is not extended JSON: ");
        assertFails(bytes("{\"op\": \"c\", \"after\": \"{}\"}"), "source: expected an object with ts_ms and ord, got null");
        assertFails(bytes("{\"op\": \"c\", \"after\": \"{}\", \"source\": {\"ord\": 1}}"),
                "source: expected a number in source.ts_ms, got null");
        assertFails(bytes("{\"op\": \"c\", \"after\": \"{}\", \"source\": {\"ts_ms\": \"1\", \"ord\": 1}}"),
                "source: expected a number in source.ts_ms, got BsonString{value='1'}");
    }

    @Test
    void malformedKeysAreReportedBeforeTheValue() {
        assertThatThrownBy(() -> ChangeEventParser.parse(bytes("{\"other\": 1}"), bytes("not json")))
                .isInstanceOf(ChangeEventException.class)
                .hasMessageStartingWith("key: expected {\"id\": \"<extended JSON of _id>\"}");
    }

    private static void assertFails(byte[] value, String messageStart) {
        assertThatThrownBy(() -> ChangeEventParser.parse(KEY, value))
                .isInstanceOf(ChangeEventException.class)
                .hasMessageStartingWith(messageStart);
    }

    private static byte[] envelope(String op, String afterJson, long tsMs, int ord) {
        // the shape Debezium 3.6 writes, ts_us and ts_ns (19 digits) included
        return bytes("{\"before\": null, \"after\": " + afterJson + ", \"updateDescription\": null, \"source\": {\"version\": "
                + "\"3.6.0.Final\", \"connector\": \"mongodb\", \"name\": \"changeover.demo\", \"ts_ms\": " + tsMs + ", "
                + "\"snapshot\": \"false\", \"db\": \"legacy\", \"sequence\": null, \"ts_us\": " + tsMs * 1000 + ", \"ts_ns\": "
                + tsMs * 1_000_000 + ", \"collection\": \"jobs\", \"ord\": " + ord + ", \"lsid\": null, \"txnNumber\": null, "
                + "\"wallTime\": " + tsMs + "}, \"op\": \"" + op + "\", \"ts_ms\": " + (tsMs + 50) + ", \"transaction\": null, "
                + "\"ts_us\": " + (tsMs + 50) * 1000 + ", \"ts_ns\": " + (tsMs + 50) * 1_000_000 + "}");
    }

    /** {@code json} as a JSON string literal, as the envelope carries {@code after}. */
    private static String quoted(String json) {
        String document = new BsonDocument("s", new BsonString(json)).toJson();
        return document.substring(document.indexOf(':') + 1, document.lastIndexOf('}')).trim();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
