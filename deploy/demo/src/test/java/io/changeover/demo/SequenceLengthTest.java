package io.changeover.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

class SequenceLengthTest {
    private final SequenceLength step = new SequenceLength();

    @Test
    void recordsTheSequencesLength() {
        BsonDocument out = step.apply(BsonDocument.parse("{input_data: {name: 'q', sequence: 'MKV'}}"));
        assertThat(out).isEqualTo(BsonDocument.parse("{input_data: {name: 'q', sequence: 'MKV', length: 3}}"));
    }

    @Test
    void aJobWithoutASequenceStringIsLeftAsItIs() {
        assertThat(step.apply(BsonDocument.parse("{input_data: {name: 'q'}}")))
                .isEqualTo(BsonDocument.parse("{input_data: {name: 'q'}}"));
        assertThat(step.apply(BsonDocument.parse("{input_data: 'text'}"))).isEqualTo(BsonDocument.parse("{input_data: 'text'}"));
        assertThat(step.apply(BsonDocument.parse("{x: 1}"))).isEqualTo(BsonDocument.parse("{x: 1}"));
    }
}
