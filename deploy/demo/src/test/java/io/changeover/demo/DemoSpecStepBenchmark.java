package io.changeover.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import io.changeover.demo.sample.SampleDataset;
import io.changeover.transform.TransformConfig;
import io.changeover.transform.TransformTopology;
import io.changeover.transform.spec.CollectionSpec;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.StepSpec;
import io.changeover.transform.topics.Topics;

/**
 * Records per second through the transform topology ({@code TransformTopology.build(spec)} in a TopologyTestDriver,
 * RocksDB stores) for the demo's spec on the demo's sample data, and what each step of the {@code jobs} collection
 * adds: the spec cut just before step k and the spec up to and including it run on the same raw snapshot records,
 * so step k's cost is the difference. Side documents ({@code job_matrices}) are piped first, then the jobs, then one
 * tick (as capture's first heartbeat after a snapshot) so {@code remap} settles references to purged parents.
 *
 * <p>A benchmark, not a test: it runs only with {@code -Dbench=true}:
 * {@code mvn -B -q -o -pl deploy/app test -Dtest=DemoSpecStepBenchmark -Dbench=true -Dsurefire.failIfNoSpecifiedTests=false}.
 * {@code -Dbench.records} sets the number of jobs (default 20,000, plus their recovered matrices), {@code -Dbench.rounds}
 * how often each prefix runs (default 2, the fastest counts: the figure least disturbed by other work on the machine),
 * {@code -Dbench.seed} the dataset's seed (default 42, the demo's). Results go to standard output (with surefire's
 * {@code redirectTestOutputToFile}: {@code deploy/app/target/surefire-reports/*DemoSpecStepBenchmark-output.txt}).
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class DemoSpecStepBenchmark {
    private static final String STEPPED = SampleDataset.COLLECTION;

    @TempDir
    Path work;

    /** One timed run of a spec prefix: seconds spent piping, and what came out. */
    record Run(double seconds, long written, long tombstones, long deadLetters) {
    }

    @Test
    void throughputPerStep() {
        int jobs = Integer.getInteger("bench.records", 20_000);
        int rounds = Integer.getInteger("bench.rounds", 2);
        long seed = Long.getLong("bench.seed", 42L);
        SnapshotRecords records = SnapshotRecords.of(new SampleDataset(seed, jobs));
        List<StepSpec> steps = demoSpec(work).collection(STEPPED).orElseThrow().steps();

        run(steps.size(), records);
        Run[] best = new Run[steps.size() + 1];
        boolean fullOnly = Boolean.getBoolean("bench.fullOnly"); // -Dbench.fullOnly=true: the whole spec only (to profile)
        for (int round = 0; round < rounds; round++) {
            for (int i = fullOnly ? steps.size() : 0; i <= steps.size(); i++) {
                int k = round % 2 == 0 || fullOnly ? i : steps.size() - i;
                Run run = run(k, records);
                if (best[k] == null || run.seconds() < best[k].seconds()) {
                    best[k] = run;
                }
            }
        }
        print(records, steps, best, rounds);

        Run full = best[steps.size()];
        assertThat(full.written()).as("jobs written by the full spec").isPositive();
        assertThat(full.deadLetters()).as("dead letters of the full spec").isZero();
    }

    /** The demo spec, placeholders filled with dummy addresses and {@code dir}, as {@code changeover demo} fills them. */
    private static MigrationSpec demoSpec(Path dir) {
        return DemoSpec.load("mongodb://source:27017", "mongodb://target:27017", "localhost:9092", dir);
    }

    /** The demo spec with only the first {@code k} steps of {@value #STEPPED}; other collections unchanged. */
    static MigrationSpec prefix(MigrationSpec spec, int k) {
        List<CollectionSpec> collections = spec.collections().stream()
                .map(c -> c.source().equals(STEPPED)
                        ? new CollectionSpec(c.source(), c.into(), c.steps().subList(0, k), c.routes()) : c)
                .toList();
        return new MigrationSpec(spec.name(), spec.source(), spec.target(), spec.kafka(), spec.capture(),
                spec.transform(), spec.sink(), collections, spec.checksum(), spec.origin());
    }

    /** Pipes every record through the topology of the spec's first {@code k} steps, in a fresh state directory. */
    private Run run(int k, SnapshotRecords records) {
        Path dir = freshDirectory();
        MigrationSpec spec = prefix(demoSpec(dir), k);
        Topics topics = Topics.of(spec.name());
        Properties props = TransformConfig.of(spec).streamsProperties(spec);
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("streams").toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(TransformTopology.build(spec), props)) {
            TestInputTopic<byte[], byte[]> sides = input(driver, topics.raw(spec.source().database(), SampleDataset.MATRICES));
            TestInputTopic<byte[], byte[]> jobs = input(driver, topics.raw(spec.source().database(), STEPPED));
            TestOutputTopic<byte[], byte[]> out = output(driver, topics.output(SampleDataset.COLLECTION));
            TestOutputTopic<byte[], byte[]> dlq = output(driver, topics.deadLetter());
            long start = System.nanoTime();
            records.sides().forEach(r -> sides.pipeInput(r.key(), r.value()));
            records.jobs().forEach(r -> jobs.pipeInput(r.key(), r.value()));
            jobs.pipeInput(null, records.tickAfterSnapshot());
            double seconds = (System.nanoTime() - start) / 1e9;
            List<TestRecord<byte[], byte[]>> written = out.readRecordsToList();
            long tombstones = written.stream().filter(r -> r.value() == null).count();
            return new Run(seconds, written.size() - tombstones, tombstones, dlq.readRecordsToList().size());
        } finally {
            delete(dir);
        }
    }

    private static void print(SnapshotRecords records, List<StepSpec> steps, Run[] best, int rounds) {
        int n = records.size();
        StringBuilder table = new StringBuilder(String.format(
                "BENCH demo spec per step: %d raw records (%d jobs, %d job_matrices) + 1 tick, fastest of %d round(s)%n",
                n, records.jobs().size(), records.sides().size(), rounds));
        table.append("| step | prefix records/s | µs/record added | jobs written | tombstones | dead letters |\n");
        table.append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (int k = 0; k <= steps.size(); k++) {
            if (best[k] == null || k > 0 && best[k - 1] == null) {
                continue;
            }
            String name = k == 0 ? "0. no steps (read, parse, write)" : k + ". " + label(steps.get(k - 1));
            String added = k == 0 ? "" : String.format("%+.1f", (best[k].seconds() - best[k - 1].seconds()) * 1e6 / n);
            table.append(String.format("| %s | %,.0f | %s | %,d | %,d | %,d |%n", name, n / best[k].seconds(), added,
                    best[k].written(), best[k].tombstones(), best[k].deadLetters()));
        }
        Run full = best[steps.size()];
        table.append(String.format("BENCH full demo spec: %,.0f records/s (%.1f µs/record, %.2f s)%n",
                n / full.seconds(), full.seconds() * 1e6 / n, full.seconds()));
        System.out.print(table);
    }

    /** The step's kind and the start of its arguments, on one line. */
    private static String label(StepSpec step) {
        String arguments = String.valueOf(step.arguments()).replaceAll("\\s+", " ");
        return "`" + step.kind() + "` " + (arguments.length() > 40 ? arguments.substring(0, 40) + "…" : arguments);
    }

    private static TestInputTopic<byte[], byte[]> input(TopologyTestDriver driver, String topic) {
        return driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static TestOutputTopic<byte[], byte[]> output(TopologyTestDriver driver, String topic) {
        return driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private Path freshDirectory() {
        try {
            return Files.createTempDirectory(work, "run");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each run's state and object store go at once: the dehydrate runs write the large contents out every time. */
    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
