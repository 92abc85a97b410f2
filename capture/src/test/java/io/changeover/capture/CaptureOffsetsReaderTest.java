package io.changeover.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.changeover.transform.format.SourcePosition;

class CaptureOffsetsReaderTest {

    @Test
    void readsDebeziumMongoOffsetTimestamp() {
        byte[] value = "{\"sec\":1763718000,\"ord\":12,\"resume_token\":\"8269...\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(CaptureOffsetsReader.parse(value)).isEqualTo(SourcePosition.of(1763718000, 12));
    }

    @Test
    void offsetWithoutTimestampIsPositionZero() {
        assertThat(CaptureOffsetsReader.parse("{\"initsync\":true}".getBytes(StandardCharsets.UTF_8))).isEqualTo(SourcePosition.ZERO);
        assertThat(CaptureOffsetsReader.parse("{\"sec\":-1,\"ord\":-1}".getBytes(StandardCharsets.UTF_8))).isEqualTo(SourcePosition.ZERO);
        assertThat(CaptureOffsetsReader.parse(null)).isEqualTo(SourcePosition.ZERO);
    }
}
