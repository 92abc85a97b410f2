package io.changeover.demo.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * CPU time of this JVM by part, from each thread's CPU time grouped by the thread's name: the pipeline's stages
 * (capture, transform, sink: what a production deployment runs, Kafka clients included) apart from what the bench
 * runs beside them on the same cores (the broker, both in-JVM MongoDB servers, the bench's writer and probe). On
 * Linux the JVM's own threads count too: the JIT compilers ({@code jit}), the garbage collector ({@code gc}) and
 * RocksDB's background threads (the transform's). What no thread accounts for is {@code jvm}: process CPU minus
 * every thread's.
 * A thread that ended during a phase counts only if it reported its own time (the writer does); the stages' threads
 * live as long as the pipeline.
 */
final class StageCpu {
    static final String CAPTURE = "capture";
    static final String TRANSFORM = "transform";
    static final String SINK = "sink";
    static final String BROKER = "broker";
    static final String MONGODB = "mongodb";
    static final String BENCH = "bench";
    static final String OTHER = "other";
    static final String JVM = "jvm";
    static final String JIT = "jit";
    static final String GC = "gc";
    /** The stages a production deployment runs: the pipeline's own cost. */
    static final List<String> PIPELINE = List.of(CAPTURE, TRANSFORM, SINK);

    private record Part(String name, Predicate<String> thread) {
    }

    /** First match wins; the names are those the stages, Debezium, Kafka and mongo-java-server give their threads. */
    private static final List<Part> PARTS = List.of(
            new Part(TRANSFORM, n -> n.contains("-transform")),
            new Part(SINK, n -> n.contains("-sink")),
            new Part(CAPTURE, n -> n.startsWith("debezium-") || n.startsWith("pool-") || n.contains("-capture")
                    || n.contains("offsets") || n.startsWith("KafkaBasedLog")),
            new Part(MONGODB, n -> n.startsWith("embedded-mongo")),
            new Part(BENCH, n -> n.startsWith("bench-") || n.equals("main")),
            new Part(BROKER, n -> n.startsWith("data-plane-kafka") || n.startsWith("kafka-") && !n.contains("|")
                    || n.startsWith("quorum-") || n.startsWith("group-coordinator") || n.startsWith("TxnMarker")
                    || n.startsWith("AddPartitionsToTxn") || n.startsWith("ExpirationReaper") || n.startsWith("broker-")
                    || n.startsWith("executor-") || n.startsWith("controller-") || n.startsWith("raft-")
                    || n.startsWith("share-") || n.startsWith("transaction-") || n.startsWith("LogDirFailureHandler")));

    /**
     * The JVM's and RocksDB's own threads, which the thread bean does not list, by their Linux task names: the JIT
     * compilers, the garbage collector, and RocksDB's flushes and compactions (the transform's state stores).
     */
    private static final List<Part> NATIVE_PARTS = List.of(
            new Part(JIT, n -> n.startsWith("C1 Compiler") || n.startsWith("C2 Compiler")),
            new Part(GC, n -> n.startsWith("GC Thread") || n.startsWith("G1 ") || n.startsWith("VM Thread")),
            new Part(TRANSFORM, n -> n.startsWith("rocksdb")));
    private static final Path TASKS = Path.of("/proc/self/task");
    private static final long NANOS_PER_TICK = 10_000_000L;   // USER_HZ is 100 on Linux

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    /**
     * Java thread id to its part and CPU nanoseconds, the JVM's and RocksDB's own threads' nanoseconds by part (empty
     * where Linux's per-task figures are not readable), and the process's CPU.
     */
    record Sample(Map<Long, String> partOf, Map<Long, Long> nanos, Map<String, Long> nativeNanos, long processNanos) {

        /**
         * This sample with the threads an earlier one saw that have ended since, at the CPU they had used by then: a
         * thread ending within a measured span (Debezium's snapshot thread, say) would otherwise count as jvm.
         */
        Sample withEnded(Sample earlier) {
            if (earlier == null) {
                return this;
            }
            Map<Long, String> parts = new HashMap<>(partOf);
            Map<Long, Long> used = new HashMap<>(nanos);
            earlier.nanos().forEach((thread, cpu) -> {
                if (!used.containsKey(thread)) {
                    used.put(thread, cpu);
                    parts.put(thread, earlier.partOf().get(thread));
                }
            });
            return new Sample(parts, used, nativeNanos, processNanos);
        }
    }

    Sample sample() {
        if (!threads.isThreadCpuTimeSupported() || ProcessCpu.nanos() < 0) {
            return null;
        }
        if (!threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
        Map<Long, String> partOf = new HashMap<>();
        Map<Long, Long> nanos = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;   // ended meanwhile
            }
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu >= 0) {
                partOf.put(info.getThreadId(), part(info.getThreadName()));
                nanos.put(info.getThreadId(), cpu);
            }
        }
        return new Sample(partOf, nanos, nativeNanos(), ProcessCpu.nanos());
    }

    /** CPU of the tasks the thread bean does not list, by part, from {@code /proc/self/task/<tid>/stat}. */
    private static Map<String, Long> nativeNanos() {
        Map<String, Long> byPart = new TreeMap<>();
        if (!Files.isDirectory(TASKS)) {
            return byPart;
        }
        try (Stream<Path> tasks = Files.list(TASKS)) {
            tasks.forEach(task -> {
                String stat = read(task.resolve("stat"));
                int close = stat == null ? -1 : stat.lastIndexOf(')');
                if (close < 0) {
                    return;   // ended meanwhile
                }
                String name = stat.substring(stat.indexOf('(') + 1, close);
                String[] fields = stat.substring(close + 2).split(" ");
                // after the name: state is field 3 of stat(5), utime 14 and stime 15
                long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                NATIVE_PARTS.stream().filter(p -> p.thread().test(name)).findFirst()
                        .ifPresent(p -> byPart.merge(p.name(), ticks * NANOS_PER_TICK, Long::sum));
            });
        } catch (IOException | RuntimeException e) {
            return new TreeMap<>();   // not Linux's layout: everything outside Java threads stays "jvm"
        }
        return byPart;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return null;
        }
    }

    /** Milliseconds of CPU per change by part between two samples; empty when either is null or no change was made. */
    static Map<String, Double> perChange(Sample before, Sample after, long changes) {
        return perChange(before, after, Map.of(), changes);
    }

    /**
     * The same, with the CPU of threads that ended between the samples, by part, as they measured it themselves (the
     * bench's writer ends before the pipeline has caught up); without it, it would count as {@code jvm}.
     */
    static Map<String, Double> perChange(Sample before, Sample after, Map<String, Long> ended, long changes) {
        Map<String, Double> per = new TreeMap<>();
        if (before == null || after == null || changes == 0) {
            return per;
        }
        long threadsTotal = 0;
        Map<String, Long> byPart = new TreeMap<>();
        for (Map.Entry<Long, Long> thread : after.nanos().entrySet()) {
            long used = thread.getValue() - before.nanos().getOrDefault(thread.getKey(), 0L);
            byPart.merge(after.partOf().get(thread.getKey()), used, Long::sum);
            threadsTotal += used;
        }
        for (Map.Entry<String, Long> part : after.nativeNanos().entrySet()) {
            long used = Math.max(0, part.getValue() - before.nativeNanos().getOrDefault(part.getKey(), 0L));
            byPart.merge(part.getKey(), used, Long::sum);
            threadsTotal += used;
        }
        for (Map.Entry<String, Long> thread : ended.entrySet()) {
            byPart.merge(thread.getKey(), thread.getValue(), Long::sum);
            threadsTotal += thread.getValue();
        }
        byPart.put(JVM, Math.max(0, after.processNanos() - before.processNanos() - threadsTotal));
        byPart.forEach((part, nanos) -> per.put(part, nanos / 1e6 / changes));
        return per;
    }

    /**
     * Nanoseconds a part of the JVM's own threads ({@link #JIT}, {@link #GC}) used between two samples; -1 where
     * not measured (no Linux per-task figures), so that no wait depends on it.
     */
    static long nanos(Sample before, Sample after, String nativePart) {
        if (before == null || after == null || !after.nativeNanos().containsKey(nativePart)) {
            return -1;
        }
        return after.nativeNanos().get(nativePart) - before.nativeNanos().getOrDefault(nativePart, 0L);
    }

    /** A by-part map as the report prints it: {@code " part ms"} for each part, in the map's order. */
    static String describe(Map<String, Double> byPart) {
        StringBuilder parts = new StringBuilder();
        byPart.forEach((part, ms) -> parts.append(String.format(" %s %.2f", part, ms)));
        return parts.toString();
    }

    /** The sum of the pipeline's stages in a by-part map. */
    static double pipeline(Map<String, Double> byPart) {
        return PIPELINE.stream().mapToDouble(part -> byPart.getOrDefault(part, 0.0)).sum();
    }

    static String part(String threadName) {
        return PARTS.stream().filter(p -> p.thread().test(threadName)).map(Part::name).findFirst().orElse(OTHER);
    }
}
