package io.changeover.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class BenchSeriesTest {
    @Test
    void everyFigureIsTheMedianOfItsRunsPhaseByPhase() {
        BenchReport median = BenchSeries.median(List.of(run(100, 3.0), run(300, 1.0), run(200, 2.0)));

        assertThat(median.copyDocsPerSecond()).isEqualTo(200);
        assertThat(median.streaming()).singleElement().satisfies(s -> {
            assertThat(s.p99Ms()).isEqualTo(2.0);
            assertThat(s.workload()).isEqualTo("mix");
            assertThat(s.kafkaWritesPerChange()).containsEntry("raw", 2.0);
            assertThat(s.cpuMsPerChangeByPart()).containsEntry("transform", 0.002).containsEntry("broker", 0.1);
            assertThat(s.pipelineCpuMsPerChange()).isEqualTo(0.002);
        });
    }

    @Test
    void anEvenCountTakesTheMeanOfTheMiddleTwo() {
        assertThat(BenchSeries.median(List.of(1.0, 4.0, 2.0, 10.0), Double::doubleValue)).isEqualTo(3.0);
    }

    private static BenchReport run(double copy, double p99) {
        return new BenchReport("spec", 10, 100, copy, copy / 2, copy / 4, copy / 3, List.of(new BenchReport.Streaming("mix", 2000,
                1990, 100, p99 / 2, p99, p99, p99 * 2, 10, 1.0, 0.5, 5, 5, 0.4, Map.of("raw", p99),
                Map.of("transform", p99 / 1000, "broker", 0.1))), 1 << 20);
    }
}
