package io.changeover.demo.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * {@code changeover bench --repeat N}: N whole runs, one after another in this JVM, each printed; then the median
 * of every figure over the runs (phase by phase), printed and written as JSON with the runs.
 */
public final class BenchSeries implements Callable<BenchSeries.Result> {
    private final BenchOptions options;
    private final int repeat;
    private final PrintStream out;

    /** The median report and every run's own. */
    public record Result(int runs, BenchReport median, List<BenchReport> each) {
    }

    public BenchSeries(BenchOptions options, int repeat, PrintStream out) {
        if (repeat < 1) {
            throw new IllegalArgumentException("--repeat must be at least 1, got " + repeat);
        }
        this.options = options;
        this.repeat = repeat;
        this.out = out;
    }

    @Override
    public Result call() throws Exception {
        List<BenchReport> runs = new ArrayList<>();
        for (int i = 1; i <= repeat; i++) {
            if (repeat > 1) {
                out.printf("%n==> run %d of %d%n", i, repeat);
            }
            runs.add(new BenchRun(options, out).call());
        }
        BenchReport median = median(runs);
        if (repeat > 1) {
            out.printf("%nMedian of %d runs:%n", repeat);
            median.print(out);
        }
        Result result = new Result(repeat, median, runs);
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(options.json().toFile(), result);
            out.println("==> JSON report written to " + options.json().toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + options.json(), e);
        }
        return result;
    }

    /** Every figure's median over the runs; phases are matched by their place in the run. */
    static BenchReport median(List<BenchReport> runs) {
        BenchReport first = runs.get(0);
        List<BenchReport.Streaming> phases = new ArrayList<>();
        for (int p = 0; p < first.streaming().size(); p++) {
            int phase = p;
            List<BenchReport.Streaming> same = runs.stream().map(r -> r.streaming().get(phase)).toList();
            BenchReport.Streaming s = same.get(0);
            phases.add(new BenchReport.Streaming(s.workload(), s.targetRate(), median(same, BenchReport.Streaming::achievedRate),
                    (int) median(same, BenchReport.Streaming::samples), median(same, BenchReport.Streaming::p50Ms),
                    median(same, BenchReport.Streaming::p95Ms), median(same, BenchReport.Streaming::p99Ms),
                    median(same, BenchReport.Streaming::maxMs), (long) median(same, BenchReport.Streaming::maxLagRecords),
                    median(same, BenchReport.Streaming::catchUpSeconds), median(same, BenchReport.Streaming::maxCaptureLagSeconds),
                    (long) median(same, BenchReport.Streaming::maxTransformLagRecords),
                    (long) median(same, BenchReport.Streaming::maxSinkLagRecords),
                    median(same, BenchReport.Streaming::cpuMsPerChange),
                    medianByKey(same, BenchReport.Streaming::kafkaWritesPerChange),
                    medianByKey(same, BenchReport.Streaming::cpuMsPerChangeByPart)));
        }
        return new BenchReport(first.spec(), first.documents(), first.averageBytes(),
                median(runs, BenchReport::copyDocsPerSecond), median(runs, BenchReport::scriptDocsPerSecond),
                median(runs, BenchReport::snapshotDocsPerSecond), median(runs, BenchReport::warmSnapshotDocsPerSecond),
                phases,
                (long) median(runs, BenchReport::peakHeapBytes));
    }

    /** The median of each key's figure (the keys of the first run's phase). */
    private static Map<String, Double> medianByKey(List<BenchReport.Streaming> phases,
                                                   Function<BenchReport.Streaming, Map<String, Double>> figures) {
        Map<String, Double> medians = new TreeMap<>();
        figures.apply(phases.get(0)).keySet().forEach(key -> medians.put(key,
                median(phases, s -> figures.apply(s).getOrDefault(key, 0.0))));
        return medians;
    }

    /** The median (the mean of the middle two for an even count). */
    static <T> double median(List<T> values, ToDoubleFunction<T> figure) {
        double[] sorted = values.stream().mapToDouble(figure).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
