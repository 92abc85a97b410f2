package io.changeover.verify;

import static org.assertj.core.api.Assertions.assertThat;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

class DocumentComparatorTest {
    private final DocumentComparator strict = new DocumentComparator(false);
    private final DocumentComparator widening = new DocumentComparator(true);

    @Test
    void fieldOrderDoesNotCount() {
        BsonDocument a = BsonDocument.parse("{_id: 1, a: 1, b: {x: 1, y: [1, 2]}}");
        BsonDocument b = BsonDocument.parse("{b: {y: [1, 2], x: 1}, a: 1, _id: 1}");
        assertThat(strict.differences(a, b)).isEmpty();
    }

    @Test
    void namesEachDifferingNestedPath() {
        BsonDocument a = BsonDocument.parse("{_id: 1, a: 1, b: {x: 1, y: [1, 2]}, gone: true}");
        BsonDocument b = BsonDocument.parse("{_id: 1, a: 2, b: {x: 1, y: [1, 3]}, added: 0}");
        assertThat(strict.differences(a, b)).containsExactly("a", "added", "b.y.1", "gone");
    }

    @Test
    void arrayLengthAndOrderCount() {
        assertThat(strict.differences(BsonDocument.parse("{a: [1, 2]}"), BsonDocument.parse("{a: [2, 1]}")))
                .containsExactly("a.0", "a.1");
        assertThat(strict.differences(BsonDocument.parse("{a: [1, 2]}"), BsonDocument.parse("{a: [1]}")))
                .containsExactly("a");
    }

    @Test
    void numericWideningIsAnOption() {
        BsonDocument int32 = BsonDocument.parse("{n: 5}");
        BsonDocument int64 = BsonDocument.parse("{n: {$numberLong: '5'}}");
        BsonDocument dbl = BsonDocument.parse("{n: 5.0}");
        assertThat(strict.differences(int32, int64)).containsExactly("n");
        assertThat(widening.differences(int32, int64)).isEmpty();
        assertThat(widening.differences(int32, dbl)).isEmpty();
        assertThat(widening.differences(int32, BsonDocument.parse("{n: 6}"))).containsExactly("n");
        assertThat(widening.differences(int32, BsonDocument.parse("{n: '5'}"))).containsExactly("n");
    }
}
