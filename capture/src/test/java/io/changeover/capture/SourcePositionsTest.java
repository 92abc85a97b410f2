package io.changeover.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.Map;

import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.Test;

import io.changeover.transform.format.SourcePosition;

class SourcePositionsTest {
    @Test
    void readsClusterTimeFromDebeziumOffset() {
        assertThat(SourcePositions.fromOffset(Map.of("sec", 1_763_718_000, "ord", 3, "resume_token", "x")))
                .contains(SourcePosition.of(1_763_718_000, 3));
    }

    @Test
    void acceptsLongsAsStoredOffsetsComeBackFromJson() {
        assertThat(SourcePositions.fromOffset(Map.of("sec", 1_763_718_000L, "ord", 3L)))
                .contains(SourcePosition.of(1_763_718_000, 3));
    }

    @Test
    void decodesTheResumeTokenWhenTheOffsetHasNoClusterTime() {
        // Resume token _data: 0x82 (timestamp type) + seconds 0x6B016F4C + increment 0x00000007, as MongoDB writes it.
        String token = base64(new BsonDocument("_data", new BsonString("826B016F4C00000007")));

        assertThat(SourcePositions.fromOffset(Map.of("sec", -1, "ord", -1, "resume_token", token)))
                .contains(SourcePosition.of(0x6B016F4C, 7));
    }

    @Test
    void offsetWithoutClusterTimeOrTokenHasNoPosition() {
        assertThat(SourcePositions.fromOffset(Map.of("sec", -1, "ord", -1))).isEmpty();
        assertThat(SourcePositions.fromOffset(Map.of("sec", 0, "ord", 0))).isEmpty();
        assertThat(SourcePositions.fromOffset(Map.of("resume_token", "not base64 !"))).isEmpty();
        assertThat(SourcePositions.fromOffset(null)).isEmpty();
    }

    private static String base64(BsonDocument doc) {
        java.nio.ByteBuffer buf = new RawBsonDocument(doc, new org.bson.codecs.BsonDocumentCodec()).getByteBuffer().asNIO();
        byte[] bytes = new byte[buf.remaining()];
        buf.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
