package io.changeover.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.types.ObjectId;
import org.bson.BsonObjectId;
import org.junit.jupiter.api.Test;

import io.changeover.transform.format.OutputRecords;
import io.changeover.transform.format.SourcePosition;

class OutputRecordDecoderTest {
    private final BsonObjectId id = new BsonObjectId(new ObjectId());

    @Test
    void readsIdDocumentAndPosition() {
        BsonDocument doc = new BsonDocument("_id", id).append("status", new BsonString("completed"));
        ConsumerRecord<byte[], byte[]> record = record(OutputRecords.key(id), OutputRecords.value(doc));
        OutputRecords.putPosition(record.headers(), SourcePosition.of(1700000000, 4));

        OutputRecord decoded = OutputRecordDecoder.decode(record);

        assertThat(decoded.id()).isEqualTo(id);
        assertThat(decoded.document()).isEqualTo(doc);
        assertThat(decoded.position()).isEqualTo(SourcePosition.of(1700000000, 4));
        assertThat(decoded.describe()).contains("changeover.m.out.jobs-0@42");
    }

    @Test
    void aTombstoneIsADelete() {
        OutputRecord decoded = OutputRecordDecoder.decode(record(OutputRecords.key(id), null));

        assertThat(decoded.isDelete()).isTrue();
    }

    @Test
    void garbledValueIsNamedByTopicPartitionAndOffset() {
        byte[] garbled = {12, 0, 0, 0, 2, 'x'};

        assertThatThrownBy(() -> OutputRecordDecoder.decode(record(OutputRecords.key(id), garbled)))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("changeover.m.out.jobs-0@42");
    }

    @Test
    void keyThatIsNotJsonIsRefused() {
        byte[] key = "not json".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> OutputRecordDecoder.decode(record(key, null)))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("key");
    }

    @Test
    void valueWhoseIdDisagreesWithTheKeyIsRefused() {
        BsonDocument other = new BsonDocument("_id", new BsonObjectId(new ObjectId()));

        assertThatThrownBy(() -> OutputRecordDecoder.decode(record(OutputRecords.key(id), OutputRecords.value(other))))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("in its key");
    }

    private static ConsumerRecord<byte[], byte[]> record(byte[] key, byte[] value) {
        return new ConsumerRecord<>("changeover.m.out.jobs", 0, 42L, key, value);
    }
}
