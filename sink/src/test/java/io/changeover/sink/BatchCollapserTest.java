package io.changeover.sink;

import static io.changeover.sink.Records.delete;
import static io.changeover.sink.Records.upsert;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.bson.BsonInt32;
import org.junit.jupiter.api.Test;

class BatchCollapserTest {

    @Test
    void keepsTheLastRecordOfEachId() {
        List<OutputRecord> batch = List.of(upsert(0, 1, "a"), upsert(1, 2, "a"), upsert(2, 1, "b"), upsert(3, 1, "c"));

        List<OutputRecord> collapsed = BatchCollapser.lastPerId(batch);

        assertThat(collapsed).extracting(OutputRecord::offset).containsExactlyInAnyOrder(1L, 3L);
        assertThat(collapsed).filteredOn(r -> r.id().equals(new BsonInt32(1)))
                .singleElement().satisfies(r -> assertThat(r.document().getString("state").getValue()).isEqualTo("c"));
    }

    @Test
    void aDeleteAfterAnUpsertWins() {
        List<OutputRecord> collapsed = BatchCollapser.lastPerId(List.of(upsert(0, 7, "a"), delete(1, 7)));

        assertThat(collapsed).singleElement().satisfies(r -> assertThat(r.isDelete()).isTrue());
    }

    @Test
    void anUpsertAfterADeleteRecreatesTheDocument() {
        List<OutputRecord> collapsed = BatchCollapser.lastPerId(List.of(delete(0, 7), upsert(1, 7, "back")));

        assertThat(collapsed).singleElement().satisfies(r -> {
            assertThat(r.isDelete()).isFalse();
            assertThat(r.offset()).isEqualTo(1L);
        });
    }

    @Test
    void distinctIdsAreAllKept() {
        List<OutputRecord> batch = List.of(upsert(0, 1, "a"), delete(1, 2), upsert(2, 3, "c"));

        assertThat(BatchCollapser.lastPerId(batch)).containsExactlyInAnyOrderElementsOf(batch);
    }

    @Test
    void idsOfDifferentBsonTypesAreDifferentDocuments() {
        OutputRecord number = upsert(0, 1, "int");
        OutputRecord text = Records.record(1, new org.bson.BsonString("1"), null);

        assertThat(BatchCollapser.lastPerId(List.of(number, text))).hasSize(2);
    }

    @Test
    void aRecordReadAfterANewerOneOfItsDocumentDoesNotReplaceIt() {
        OutputRecord newer = new OutputRecord("t", 0, 0, new BsonInt32(7), null, io.changeover.transform.format.SourcePosition.of(1000, 5), 0);
        OutputRecord older = Records.record(1, new BsonInt32(7), new org.bson.BsonDocument("_id", new BsonInt32(7)));
        assertThat(older.position()).isLessThan(newer.position());

        assertThat(BatchCollapser.lastPerId(List.of(newer, older))).containsExactly(newer);
    }
}
