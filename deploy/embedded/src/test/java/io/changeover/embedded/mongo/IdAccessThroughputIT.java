package io.changeover.embedded.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntConsumer;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;

/**
 * Opt-in throughput figures for the by-{@code _id} reads and writes the pipeline makes (the sink's read-check and
 * guarded replaces, a writer's updates), printed, never asserted: run with
 * {@code mvn -B -o -pl deploy/embedded verify -Dit.test=IdAccessThroughputIT -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dembedded.bench=true}. Timings depend on whatever else the machine runs.
 */
@EnabledIfSystemProperty(named = "embedded.bench", matches = "true")
class IdAccessThroughputIT {

    private static final int DOCUMENTS = 20_000;
    private static final String PAYLOAD = "x".repeat(1000);

    @RegisterExtension
    static final SharedMongo SERVER = new SharedMongo();

    @Test
    void printsOperationsPerSecond() {
        MongoCollection<Document> jobs = SERVER.client().getDatabase("bench").getCollection("jobs");
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            batch.add(new Document("_id", i).append("n", 0).append("group", i % 10).append("pos", 1L)
                .append("payload", PAYLOAD));
            if (batch.size() == 1000) {
                jobs.insertMany(batch);
                batch.clear();
            }
        }
        Random random = new Random(7);
        runAll(jobs, random, 10, false); // warm-up: every operation at a tenth of its count, not reported
        runAll(jobs, random, 1, true);
    }

    private static void runAll(MongoCollection<Document> jobs, Random random, int scale, boolean report) {
        measure(report, "find {_id: {$in: [100 ids]}}", 1_000 / scale, i ->
            assertEquals(100, jobs.find(Filters.in("_id", ids(random, 100))).into(new ArrayList<>()).size()));
        measure(report, "find {_id: {$in: [100 ids]}, group: {$gte: 0}}", 1_000 / scale, i ->
            assertEquals(100, jobs.find(Filters.and(Filters.in("_id", ids(random, 100)), Filters.gte("group", 0)))
                .into(new ArrayList<>()).size()));
        measure(report, "updateOne({_id: x}, {$set: {n: i}})", 10_000 / scale, i ->
            assertEquals(1, jobs.updateOne(Filters.eq("_id", random.nextInt(DOCUMENTS)), Updates.set("n", i))
                .getMatchedCount()));
        measure(report, "replaceOne({_id: x}, doc)", 10_000 / scale, i -> {
            int id = random.nextInt(DOCUMENTS);
            assertEquals(1, jobs.replaceOne(Filters.eq("_id", id), document(id, i)).getMatchedCount());
        });
        Object[] last = {null};
        measure(report, "page of 1,000 by _id ({_id: {$gt: last}}, sort _id)", 100 / scale, i -> {
            List<Document> page = jobs.find(last[0] == null ? new Document() : Filters.gt("_id", last[0]))
                .sort(Sorts.ascending("_id")).limit(1000).batchSize(1000).into(new ArrayList<>());
            last[0] = page.size() < 1000 ? null : page.get(page.size() - 1).get("_id");
        });
        measure(report, "replaceOne({_id: x, $or: [pos <= p, no pos]}, doc)", 1_000 / scale, i -> {
            int id = random.nextInt(DOCUMENTS);
            Document guard = new Document("_id", id).append("$or", List.of(
                new Document("pos", new Document("$lte", Long.MAX_VALUE)),
                new Document("pos", new Document("$exists", false))));
            assertEquals(1, jobs.replaceOne(guard, document(id, i)).getMatchedCount());
        });
    }

    private static Document document(int id, int n) {
        return new Document("_id", id).append("n", n).append("group", id % 10).append("pos", 2L + n)
            .append("payload", PAYLOAD);
    }

    private static List<Integer> ids(Random random, int count) {
        List<Integer> ids = new ArrayList<>(count);
        while (ids.size() < count) {
            int id = random.nextInt(DOCUMENTS);
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        return ids;
    }

    /**
     * Runs {@code operations} timed and, if {@code report}, prints operations per second and the CPU time of the
     * whole JVM (client and server) per operation, which other load on the machine distorts less than elapsed time.
     */
    private static void measure(boolean report, String what, int operations, IntConsumer operation) {
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        for (int i = 0; i < operations; i++) {
            operation.accept(i);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuMicros = (processCpuNanos() - cpuStart) / 1e3 / operations;
        if (report) {
            System.out.printf("THROUGHPUT %-55s %,10.0f ops/s %,9.0f us CPU/op (%,d in %.2f s)%n", what,
                operations / seconds, cpuMicros, operations, seconds);
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    }
}
