package io.changeover.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.changeover.transform.format.SourcePosition;

class SourcePositionsTest {
    @Test
    void readsClusterTimeFromDebeziumOffset() {
        assertThat(SourcePositions.fromOffset(Map.of("sec", 1_763_718_000, "ord", 3, "resume_token", "82")))
                .contains(SourcePosition.of(1_763_718_000, 3));
    }

    @Test
    void acceptsLongsAsStoredOffsetsComeBackFromJson() {
        assertThat(SourcePositions.fromOffset(Map.of("sec", 1_763_718_000L, "ord", 3L)))
                .contains(SourcePosition.of(1_763_718_000, 3));
    }

    @Test
    void offsetWithoutClusterTimeHasNoPosition() {
        assertThat(SourcePositions.fromOffset(Map.of("resume_token", "82"))).isEmpty();
        assertThat(SourcePositions.fromOffset(Map.of("sec", 0, "ord", 0))).isEmpty();
        assertThat(SourcePositions.fromOffset(null)).isEmpty();
    }
}
