package io.changeover.transform.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

class WaitingDocumentsTest {

    @Test
    void aCountRoundTripsAndItsKeyNamesTheCollectionAndPartition() {
        WaitingDocuments count = new WaitingDocuments("nodes", 2, 7, SourcePosition.of(1_700_000_000, 3));
        assertThat(WaitingDocuments.read(count.value())).isEqualTo(count);
        assertThat(WaitingDocuments.read(new WaitingDocuments("nodes", 2, 0, SourcePosition.of(5, 1)).value()).oldest())
                .as("nothing waits, so nothing is oldest").isEqualTo(SourcePosition.ZERO);
        assertThat(OutputRecords.document(count.key()))
                .isEqualTo(new BsonDocument("coll", new BsonString("nodes")).append("partition", new BsonInt32(2)));
        assertThat(count.key()).isEqualTo(WaitingDocuments.key("nodes", 2));
    }

    @Test
    void aValueWithoutOldestIsReadWithItsOldestWaitUnknown() {
        BsonDocument v1 = new BsonDocument("v", new BsonInt32(1)).append("coll", new BsonString("nodes"))
                .append("partition", new BsonInt32(1)).append("waiting", new org.bson.BsonInt64(4));
        assertThat(WaitingDocuments.read(OutputRecords.value(v1))).isEqualTo(new WaitingDocuments("nodes", 1, 4));
    }

    @Test
    void anotherFormatVersionOrAValueThatIsNotOneIsRefusedByName() {
        BsonDocument next = OutputRecords.document(new WaitingDocuments("nodes", 0, 1).value());
        next.put("v", new BsonInt32(2));
        assertThatThrownBy(() -> WaitingDocuments.read(OutputRecords.value(next)))
                .hasMessageContaining("format version 2");
        BsonDocument oddOldest = OutputRecords.document(new WaitingDocuments("nodes", 0, 1).value());
        oddOldest.put("oldest", new BsonString("yesterday"));
        assertThatThrownBy(() -> WaitingDocuments.read(OutputRecords.value(oddOldest))).hasMessageContaining("oldest");
        assertThatThrownBy(() -> WaitingDocuments.read(OutputRecords.value(new BsonDocument("v", new BsonInt32(1)))))
                .hasMessageContaining("without coll, partition or waiting");
        assertThatThrownBy(() -> WaitingDocuments.read(new byte[]{1, 2, 3})).hasMessageContaining("not a BSON document");
        assertThatThrownBy(() -> new WaitingDocuments("nodes", 0, -1)).hasMessageContaining("negative");
    }
}
