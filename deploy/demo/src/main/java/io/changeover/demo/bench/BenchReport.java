package io.changeover.demo.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Everything one {@code changeover bench} run measured.
 *
 * @param spec               the spec the script baseline and Changeover ran (its file name and checksum)
 * @param documents          source documents
 * @param averageBytes       average BSON size of a source document
 * @param copyDocsPerSecond  copy limit: read in {@code _id} order, unordered bulk insert, no Kafka, no transform
 * @param scriptDocsPerSecond script baseline: paged read, transform, bulk write, second pass for references
 * @param snapshotDocsPerSecond Changeover: pipeline start to every document in the target with zero lag, the first
 *                           migration of the run (a cold JVM: its JIT compilers start with it)
 * @param warmSnapshotDocsPerSecond the same for a second migration of the same source after the streaming phases (a
 *                           warm JVM, as a long snapshot runs after its first minutes); -1 when not measured
 * @param streaming          one entry per writer rate
 * @param peakHeapBytes      peak heap of the whole run (all stages and embedded servers share the JVM): the sum of
 *                           each heap pool's peak, which may come at different times, so an upper bound
 */
public record BenchReport(String spec, long documents, long averageBytes, double copyDocsPerSecond, double scriptDocsPerSecond,
                          double snapshotDocsPerSecond, double warmSnapshotDocsPerSecond, List<Streaming> streaming,
                          long peakHeapBytes) {

    /**
     * One streaming phase.
     *
     * @param workload        what the writer wrote: "mix" (the realistic mix) or "re-key" (identity fields only)
     * @param targetRate      changes per second asked of the writer
     * @param achievedRate    changes per second it made
     * @param samples         latencies measured (writes seen in the target, each once: when first visible)
     * @param p50Ms           end-to-end latency percentiles, source write to visible in the target
     * @param maxLagRecords   largest transform lag plus largest sink lag seen, in records
     * @param catchUpSeconds  seconds from the writer stopping to zero lag; -1 when lag did not reach zero within the
 *                        bench's timeout (15 minutes; the latencies then cover only what arrived by then)
     * @param maxCaptureLagSeconds   largest capture lag seen (source time not yet captured)
     * @param maxTransformLagRecords largest transform lag seen (raw records not yet processed)
     * @param maxSinkLagRecords      largest sink lag seen (output records not yet written)
     * @param cpuMsPerChange  CPU time of the whole JVM (every stage, both servers, broker, writer, probe) from the
     *                        writer starting to zero lag, per change written; -1 where the JVM does not report it
     * @param kafkaWritesPerChange how far the migration's topics advanced from the writer starting to zero lag, per
     *                        change written, by kind of topic (raw, remap, resolved, dedupe, out, changelog, ...;
     *                        transaction markers count: they are writes too)
     * @param cpuMsPerChangeByPart the same CPU time by part ({@link StageCpu}): capture, transform, sink (the
     *                        pipeline), broker, mongodb, bench, other, jvm; empty where the JVM does not report it
     */
    public record Streaming(String workload, double targetRate, double achievedRate, int samples, double p50Ms, double p95Ms,
                            double p99Ms, double maxMs, long maxLagRecords, double catchUpSeconds,
                            double maxCaptureLagSeconds, long maxTransformLagRecords, long maxSinkLagRecords,
                            double cpuMsPerChange, Map<String, Double> kafkaWritesPerChange,
                            Map<String, Double> cpuMsPerChangeByPart) {

        public double kafkaWritesTotal() {
            return kafkaWritesPerChange.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        /** CPU per change of capture, transform and sink: what a deployment runs, without the bench's servers. */
        @JsonProperty("pipelineCpuMsPerChange")
        public double pipelineCpuMsPerChange() {
            return cpuMsPerChangeByPart.isEmpty() ? -1 : StageCpu.pipeline(cpuMsPerChangeByPart);
        }
    }

    @JsonProperty("snapshotVsCopy")
    public double snapshotVsCopy() {
        return snapshotDocsPerSecond / copyDocsPerSecond;
    }

    @JsonProperty("warmSnapshotVsCopy")
    public double warmSnapshotVsCopy() {
        return warmSnapshotDocsPerSecond < 0 ? -1 : warmSnapshotDocsPerSecond / copyDocsPerSecond;
    }

    @JsonProperty("snapshotVsScript")
    public double snapshotVsScript() {
        return snapshotDocsPerSecond / scriptDocsPerSecond;
    }

    public void print(PrintStream out) {
        out.printf("%nChangeover bench: %,d documents, %,d bytes on average, spec %s%n%n", documents, averageBytes, spec);
        out.printf("  %-46s %12s%n", "initial load", "docs/s");
        out.printf("  %-46s %,12.0f%n", "1 copy limit (no Kafka, no transform)", copyDocsPerSecond);
        out.printf("  %-46s %,12.0f%n", "2 script baseline (2 passes, stop the world)", scriptDocsPerSecond);
        out.printf("  %-46s %,12.0f%n", "3 Changeover snapshot (to zero lag, cold JVM)", snapshotDocsPerSecond);
        if (warmSnapshotDocsPerSecond >= 0) {
            out.printf("  %-46s %,12.0f%n", "4 the same, warm JVM (a second migration)", warmSnapshotDocsPerSecond);
        }
        out.printf("  %-46s %12.2f%n", "ratio 3/1 (goal >= 0.5)", snapshotVsCopy());
        if (warmSnapshotDocsPerSecond >= 0) {
            out.printf("  %-46s %12.2f%n", "ratio 4/1", warmSnapshotVsCopy());
        }
        out.printf("  %-46s %12.2f%n%n", "ratio 3/2", snapshotVsScript());
        out.printf("  %-16s %9s %8s %8s %8s %8s %8s %10s %10s%n", "streaming", "achieved", "samples", "p50 ms",
                "p95 ms", "p99 ms", "max ms", "max lag", "catch-up s");
        for (Streaming s : streaming) {
            out.printf("  %-6s %,6.0f/s  %,7.0f/s %,8d %8.1f %8.1f %8.1f %8.1f %,10d %10s%n", s.workload(), s.targetRate(), s.achievedRate(),
                    s.samples(), s.p50Ms(), s.p95Ms(), s.p99Ms(), s.maxMs(), s.maxLagRecords(),
                    s.catchUpSeconds() < 0 ? "timed out" : String.format("%.1f", s.catchUpSeconds()));
        }
        out.printf("%n  %-16s %13s %17s %12s %14s %14s%n", "streaming", "max capture s", "max transform lag",
                "max sink lag", "CPU ms/change", "pipeline CPU");
        for (Streaming s : streaming) {
            out.printf("  %-6s %,6.0f/s  %13.1f %,17d %,12d %14.2f %14.2f%n", s.workload(), s.targetRate(), s.maxCaptureLagSeconds(),
                    s.maxTransformLagRecords(), s.maxSinkLagRecords(), s.cpuMsPerChange(), s.pipelineCpuMsPerChange());
        }
        out.printf("%n  CPU ms per change by part (pipeline = capture + transform + sink, goal <= 0.4; the rest is what"
                + " the bench runs beside it)%n");
        for (Streaming s : streaming) {
            out.printf("  %-6s %,6.0f/s %s%n", s.workload(), s.targetRate(), StageCpu.describe(s.cpuMsPerChangeByPart()));
        }
        out.printf("%n  Kafka writes per change (end offsets, transaction markers included)%n");
        for (Streaming s : streaming) {
            StringBuilder kinds = new StringBuilder();
            s.kafkaWritesPerChange().forEach((kind, n) -> kinds.append(String.format(" %s %.2f", kind, n)));
            out.printf("  %-6s %,6.0f/s  total %.1f:%s%n", s.workload(), s.targetRate(), s.kafkaWritesTotal(), kinds);
        }
        out.printf("%n  peak heap %,d MiB (whole JVM: broker, both MongoDB servers, every stage; the sum of each heap"
                + " pool's own peak, an upper bound)%n", peakHeapBytes / (1024 * 1024));
    }
}
