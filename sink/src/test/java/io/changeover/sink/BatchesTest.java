package io.changeover.sink;

import static io.changeover.sink.Records.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class BatchesTest {

    @Test
    void cutsByRecordCountKeepingReadOrder() {
        List<OutputRecord> records = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            records.add(upsert(i, i, "s"));
        }

        List<List<OutputRecord>> batches = Batches.split(records, 3, Long.MAX_VALUE);

        assertThat(batches).extracting(List::size).containsExactly(3, 3, 1);
        assertThat(batches.stream().flatMap(List::stream).toList()).isEqualTo(records);
    }

    @Test
    void cutsByBytesAndPutsAnOversizedRecordAlone() {
        OutputRecord small = upsert(0, 1, "s");
        int size = small.sizeBytes();
        OutputRecord big = Records.record(1, new org.bson.BsonInt32(2), new org.bson.BsonDocument("_id",
                new org.bson.BsonInt32(2)).append("blob", new org.bson.BsonString("x".repeat(size * 10))));
        OutputRecord small2 = upsert(2, 3, "s");

        List<List<OutputRecord>> batches = Batches.split(List.of(small, big, small2), 100, size * 2L);

        assertThat(batches).containsExactly(List.of(small), List.of(big), List.of(small2));
    }

    @Test
    void tombstonesTakeNoBytes() {
        List<OutputRecord> records = List.of(Records.delete(0, 1), Records.delete(1, 2), Records.delete(2, 3));

        assertThat(Batches.split(records, 100, 1)).hasSize(1);
    }

    @Test
    void refusesLimitsBelowOne() {
        assertThatThrownBy(() -> Batches.split(List.of(), 0, 10)).hasMessageContaining("maxRecords");
    }
}
