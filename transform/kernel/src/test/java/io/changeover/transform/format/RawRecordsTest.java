package io.changeover.transform.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonType;
import org.bson.types.Decimal128;
import org.bson.BsonDecimal128;
import org.junit.jupiter.api.Test;

class RawRecordsTest {
    private static final BsonDocument DOC = BsonDocument.parse("{_id: {$numberLong: '5'}, n: {$numberDecimal: '1.10'},"
            + " at: {$date: '2026-01-01T00:00:00Z'}, b: {$binary: {base64: 'AQI=', subType: '00'}}}");

    @Test
    void aChangeRoundTripsWithEveryTypeExactly() {
        RawRecord.Change change = new RawRecord.Change("jobs", DOC.get("_id"), RawRecord.Operation.UPDATE, DOC,
                SourcePosition.of(1_767_225_600, 3), false);
        RawRecord read = RawRecords.read(RawRecords.key(change), RawRecords.value(change));
        assertThat(read).isEqualTo(change);
        assertThat(((RawRecord.Change) read).id().getBsonType()).isEqualTo(BsonType.INT64);
    }

    @Test
    void deletesTicksAndSnapshotEndsRoundTrip() {
        RawRecord.Change delete = new RawRecord.Change("jobs", new BsonString("a"), RawRecord.Operation.DELETE, null,
                SourcePosition.of(10, 1), false);
        assertThat(RawRecords.read(RawRecords.key(delete), RawRecords.value(delete))).isEqualTo(delete);
        RawRecord.Tick tick = new RawRecord.Tick(SourcePosition.of(11, 0), 3);
        assertThat(RawRecords.key(tick)).isNull();
        assertThat(RawRecords.read(null, RawRecords.value(tick))).isEqualTo(tick);
        RawRecord.SnapshotEnd end = new RawRecord.SnapshotEnd(SourcePosition.of(12, 0), 3);
        assertThat(RawRecords.read(null, RawRecords.value(end))).isEqualTo(end);
    }

    @Test
    void thePositionOfAnyRecordIsReadWithoutItsDocument() {
        RawRecord.Change change = new RawRecord.Change("jobs", DOC.get("_id"), RawRecord.Operation.UPDATE, DOC,
                SourcePosition.of(1_767_225_600, 3), false);
        assertThat(RawRecords.position(RawRecords.value(change))).isEqualTo(SourcePosition.of(1_767_225_600, 3));
        assertThat(RawRecords.position(RawRecords.value(new RawRecord.Tick(SourcePosition.of(20, 2), 4))))
                .isEqualTo(SourcePosition.of(20, 2));
        assertThatThrownBy(() -> RawRecords.position("{not bson".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not a BSON document");
    }

    @Test
    void idsMongoDbFindsEqualShareAPartitionAndOthersSpread() {
        int p = RawRecords.partition(new BsonInt32(5), 12);
        assertThat(RawRecords.partition(new BsonInt64(5), 12)).isEqualTo(p);
        assertThat(RawRecords.partition(new BsonDouble(5.0), 12)).isEqualTo(p);
        assertThat(RawRecords.partition(new BsonDecimal128(Decimal128.parse("5.00")), 12)).isEqualTo(p);
        assertThat(java.util.stream.IntStream.range(0, 200).map(i -> RawRecords.partition(new BsonInt32(i), 12))
                .distinct().count()).isEqualTo(12);
    }

    @Test
    void aBadRecordNamesThePartAtFault() {
        byte[] key = RawRecords.key(new BsonInt32(1));
        assertThatThrownBy(() -> RawRecords.read(key, "{not bson".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RawRecordException.class).hasMessageContaining("value").hasMessageContaining("not a BSON document");
        BsonDocument future = OutputRecords.document(RawRecords.value(new RawRecord.Tick(SourcePosition.of(1, 0), 1)));
        future.put("v", new BsonInt32(2));
        assertThatThrownBy(() -> RawRecords.read(null, OutputRecords.value(future)))
                .isInstanceOf(RawRecordException.class).hasMessageContaining("raw format version 2 is not supported");
        BsonDocument insertWithoutDocument = OutputRecords.document(RawRecords.value(new RawRecord.Change("jobs",
                new BsonInt32(1), RawRecord.Operation.DELETE, null, SourcePosition.of(1, 0), false)));
        insertWithoutDocument.put("op", new BsonString("c"));
        assertThatThrownBy(() -> RawRecords.read(key, OutputRecords.value(insertWithoutDocument)))
                .isInstanceOf(RawRecordException.class).hasMessageContaining("after");
        assertThatThrownBy(() -> RawRecords.read(null, RawRecords.value(new RawRecord.Change("jobs", new BsonInt32(1),
                RawRecord.Operation.INSERT, DOC, SourcePosition.of(1, 0), false))))
                .isInstanceOf(RawRecordException.class).hasMessageContaining("key");
    }

    @Test
    void aHeaderIsWhatAFullReadSaysOfTheChangeWithoutItsDocument() {
        RawRecord.Change update = new RawRecord.Change("jobs", DOC.get("_id"), RawRecord.Operation.UPDATE, DOC,
                SourcePosition.of(5, 1), false);
        assertThat(RawRecords.header(RawRecords.key(update), RawRecords.value(update)))
                .contains(new ChangeHeader(DOC.get("_id"), RawRecord.Operation.UPDATE, true));
        RawRecord.Change vanished = new RawRecord.Change("jobs", new BsonInt32(2), RawRecord.Operation.UPDATE, null,
                SourcePosition.of(5, 2), false);
        assertThat(RawRecords.header(RawRecords.key(vanished), RawRecords.value(vanished)).orElseThrow().isVanishedUpdate())
                .isTrue();
        assertThat(RawRecords.header(null, RawRecords.value(new RawRecord.Tick(SourcePosition.of(6, 0), 1)))).isEmpty();
        assertThatThrownBy(() -> RawRecords.header(RawRecords.key(update), "{not bson".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RawRecordException.class).hasMessageContaining("not a BSON document");
        BsonDocument insertWithoutDocument = OutputRecords.document(RawRecords.value(vanished));
        insertWithoutDocument.put("op", new BsonString("c"));
        assertThatThrownBy(() -> RawRecords.header(RawRecords.key(vanished), OutputRecords.value(insertWithoutDocument)))
                .isInstanceOf(RawRecordException.class).hasMessageContaining("after");
    }

    /** Parse cost per raw record: {@code mvn -pl transform test -Dtest=RawRecordsTest -Draw.bench=true}. */
    @Test
    void parseCost() {
        if (!Boolean.getBoolean("raw.bench")) {
            return;
        }
        BsonDocument job = BsonDocument.parse("{_id: {$oid: '65a000000000000000000001'}, type: 'blast', status: 'completed',"
                + " progress: 100, params: {db: 'nr', evalue: 0.001, words: [1, 2, 3]}, created: {$date: '2026-01-01T00:00:00Z'},"
                + " results: [{hit: 'a', score: 12.5}, {hit: 'b', score: 11.0}, {hit: 'c', score: 9.75}], parent: 42}");
        RawRecord.Change change = new RawRecord.Change("jobs", job.get("_id"), RawRecord.Operation.UPDATE, job,
                SourcePosition.of(1_767_225_600, 3), false);
        byte[] key = RawRecords.key(change);
        byte[] value = RawRecords.value(change);
        for (int round = 0; round < 5; round++) {
            long start = System.nanoTime();
            int n = 200_000;
            long sink = 0;
            for (int i = 0; i < n; i++) {
                sink += ((RawRecord.Change) RawRecords.read(key, value)).after().size();
            }
            System.out.printf("raw record parse: %.2f µs per record (%d bytes, %d)%n",
                    (System.nanoTime() - start) / 1000.0 / n, value.length, sink);
        }
    }
}
