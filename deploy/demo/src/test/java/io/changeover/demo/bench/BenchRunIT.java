package io.changeover.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code changeover bench} end to end at a tiny size, with the lighter spec shipped for it: every stage is measured
 * and reported, in the table and in the JSON file. (The figures themselves belong in docs/benchmarks.md, not here.)
 */
class BenchRunIT {
    @TempDir
    Path work;

    @Test
    void everyStageIsMeasuredAndTheSameFiguresArePrintedAndWrittenAsJson() throws Exception {
        Path json = work.resolve("bench.json");
        Path spec = Path.of("../../docs/bench-specs/refactor.yaml").toAbsolutePath().normalize();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        BenchSeries.Result result = new BenchSeries(new BenchOptions(400, 7, List.of(50.0), 3, json, spec, 1, 20.0), 1,
                new PrintStream(printed, true, StandardCharsets.UTF_8)).call();
        BenchReport report = result.median();

        assertThat(report.spec()).startsWith(spec.toString());
        assertThat(report.documents()).as("jobs and their matrices").isGreaterThan(400);
        assertThat(report.copyDocsPerSecond()).isPositive();
        assertThat(report.scriptDocsPerSecond()).isPositive();
        assertThat(report.snapshotDocsPerSecond()).isPositive();
        assertThat(report.warmSnapshotDocsPerSecond()).as("a second migration after the streaming phases").isPositive();
        assertThat(report.streaming()).extracting(BenchReport.Streaming::workload).containsExactly("mix", "re-key");
        assertThat(report.streaming()).allSatisfy(s -> {
            assertThat(s.achievedRate()).isPositive();
            assertThat(s.samples()).as("changes seen arriving in the target").isPositive();
            assertThat(s.p99Ms()).isGreaterThanOrEqualTo(s.p50Ms()).isPositive();
            assertThat(s.maxMs()).isGreaterThanOrEqualTo(s.p99Ms());
            assertThat(s.kafkaWritesPerChange().get("raw")).as("every change is one raw record at least")
                    .isGreaterThanOrEqualTo(1.0);
        });
        assertThat(report.streaming()).extracting(BenchReport.Streaming::targetRate).containsExactly(50.0, 20.0);
        JsonNode written = new ObjectMapper().readTree(json.toFile()).get("median");
        assertThat(written.get("snapshotVsCopy").asDouble()).isEqualTo(report.snapshotVsCopy());
        assertThat(written.get("streaming").get(0).get("samples").asInt()).isEqualTo(report.streaming().get(0).samples());
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("copy limit", "script baseline",
                "Changeover snapshot", "warm JVM", "ratio 3/1", "ratio 4/1", String.format("%.2f", report.snapshotVsCopy()), "p99 ms");
    }
}
