package io.changeover.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class StageCpuTest {
    @Test
    void threadsAreGroupedByThePartThatNamesThem() {
        assertThat(StageCpu.part("changeover-demo-transform-1f2e-StreamThread-1")).isEqualTo("transform");
        assertThat(StageCpu.part("kafka-producer-network-thread | changeover-demo-transform-1f2e-StreamThread-1-producer"))
                .isEqualTo("transform");
        assertThat(StageCpu.part("changeover-sink")).isEqualTo("sink");
        assertThat(StageCpu.part("kafka-coordinator-heartbeat-thread | changeover-demo-sink")).isEqualTo("sink");
        assertThat(StageCpu.part("debezium-mongodbconnector-changeover-demo-change-event-source-coordinator"))
                .isEqualTo("capture");
        assertThat(StageCpu.part("pool-3-thread-1")).isEqualTo("capture");
        assertThat(StageCpu.part("kafka-producer-network-thread | changeover-demo-capture")).isEqualTo("capture");
        assertThat(StageCpu.part("data-plane-kafka-request-handler-0")).isEqualTo("broker");
        assertThat(StageCpu.part("kafka-1-raft-io-thread")).isEqualTo("broker");
        assertThat(StageCpu.part("TxnMarkerSenderThread-1")).isEqualTo("broker");
        assertThat(StageCpu.part("embedded-mongo-io-1-2")).isEqualTo("mongodb");
        assertThat(StageCpu.part("bench-writer-mix-1")).isEqualTo("bench");
        assertThat(StageCpu.part("kafka-admin-client-thread | adminclient-3")).isEqualTo("other");
    }

    @Test
    void perChangeSplitsTheProcessTimeByPartAndLeavesTheRestToTheJvm() {
        StageCpu.Sample before = new StageCpu.Sample(Map.of(1L, "transform", 2L, "broker"), Map.of(1L, 1_000_000L,
                2L, 0L), Map.of("jit", 1_000_000L), 10_000_000L);
        StageCpu.Sample after = new StageCpu.Sample(Map.of(1L, "transform", 2L, "broker", 3L, "transform"),
                Map.of(1L, 5_000_000L, 2L, 2_000_000L, 3L, 2_000_000L), Map.of("jit", 1_000_000L, "gc", 1_000_000L),
                20_000_000L);

        Map<String, Double> perChange = StageCpu.perChange(before, after, 2);

        // transform: 4 ms + 2 ms (a thread born during the phase); broker 2 ms; gc 1 ms; 10 ms in all, 1 ms in none
        assertThat(perChange).containsEntry("transform", 3.0).containsEntry("broker", 1.0).containsEntry("gc", 0.5)
                .containsEntry("jit", 0.0).containsEntry("jvm", 0.5);
        assertThat(StageCpu.pipeline(perChange)).isEqualTo(3.0);
        assertThat(StageCpu.perChange(null, after, 2)).isEmpty();
        // a thread that ended between the samples and reported 1 ms is its part's, not the JVM's
        assertThat(StageCpu.perChange(before, after, Map.of("bench", 1_000_000L), 2))
                .containsEntry("bench", 0.5).containsEntry("jvm", 0.0);
    }

    @Test
    void aThreadThatEndedBetweenSamplesKeepsTheCpuItHadUsedWhenLastSeen() {
        StageCpu.Sample before = new StageCpu.Sample(Map.of(1L, "transform"), Map.of(1L, 0L), Map.of(), 0);
        StageCpu.Sample seen = new StageCpu.Sample(Map.of(1L, "transform", 2L, "capture"),
                Map.of(1L, 1_000_000L, 2L, 4_000_000L), Map.of(), 5_000_000L);
        StageCpu.Sample after = new StageCpu.Sample(Map.of(1L, "transform"), Map.of(1L, 2_000_000L), Map.of(),
                7_000_000L);

        Map<String, Double> perChange = StageCpu.perChange(before, after.withEnded(seen), 1);

        assertThat(perChange).containsEntry("capture", 4.0).containsEntry("transform", 2.0).containsEntry("jvm", 1.0);
        assertThat(StageCpu.perChange(before, after, 1)).as("without it").containsEntry("jvm", 5.0);
    }

    @Test
    void aSampleOfThisJvmCountsTheCallingThread() {
        StageCpu.Sample sample = new StageCpu().sample();
        assertThat(sample).isNotNull();
        assertThat(sample.nanos()).containsKey(Thread.currentThread().getId());
        if (java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self/task"))) {
            assertThat(sample.nativeNanos()).containsKey("jit");   // this test's own code was compiled
        }
    }
}
