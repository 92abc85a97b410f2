package io.changeover.control.lag;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;

class CapturePositionTest {
    private static final SourcePosition WRITTEN = SourcePosition.of(1_000, 7);
    private static final SourcePosition TICKED = SourcePosition.of(999, 1);

    @Test
    void withRemapTheCaptureIsCompleteOnlyAsFarAsItsTicks() {
        Supplier<SourcePosition> position = CapturePosition.forTransform(spec("[{remap: {field: pid, from: jobs}}]"),
                () -> WRITTEN, () -> TICKED);
        assertThat(position.get()).isEqualTo(TICKED);
        assertThat(CapturePosition.forTransform(spec("[{remap: {field: pid, from: jobs}}]"), () -> TICKED, () -> WRITTEN).get())
                .as("ticks ahead of events (an idle source): the events' position")
                .isEqualTo(TICKED);
    }

    @Test
    void beforeTheFirstTickTheWrittenPositionCounts() {
        assertThat(CapturePosition.forTransform(spec("[{remap: {field: pid, from: jobs}}]"), () -> WRITTEN,
                () -> SourcePosition.ZERO).get()).isEqualTo(WRITTEN);
    }

    @Test
    void withoutRemapTicksDoNotMatter() {
        assertThat(CapturePosition.forTransform(spec("[{set: {v: 2}}]"), () -> WRITTEN, () -> SourcePosition.ZERO).get())
                .isEqualTo(WRITTEN);
    }

    private static MigrationSpec spec(String steps) {
        return SpecLoader.parse("""
                migration: m
                source: {uri: "mongodb://localhost:1", database: legacy}
                target: {uri: "mongodb://localhost:2", database: refactored}
                kafka: {bootstrap.servers: "localhost:9092"}
                collections:
                  jobs:
                    steps: %s
                """.formatted(steps), "test spec");
    }
}
