package io.changeover.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;

import io.changeover.transform.blob.ObjectStore;
import io.changeover.transform.format.OutputRecords;

/**
 * Compares the target with the spec applied to the source. It reads both databases directly and computes each
 * expected document itself ({@link ExpectedTarget}); it never reads the pipeline's topics or state.
 *
 * <p>Per target collection, with bounded memory whatever the collection's size:
 * <ol>
 *   <li>every source collection feeding it is read in {@code _id} ranges (in parallel with partitions) and
 *       transformed in batches; each expected document goes to an external sort ({@link SortedSpill}) keyed by its
 *       target id and source id;</li>
 *   <li>the sorted expected documents are read back grouped by target id (several sources of one id are combined by
 *       the collection's dedupe policy), and compared in batches with the target documents fetched by {@code $in}:
 *       missing, different (field-level), dangling references, missing or altered blobs;</li>
 *   <li>the target's ids are sorted the same way and merged with the expected ids: the rest are extra.</li>
 * </ol>
 * Differences found online are checked again after the pipeline has applied the source's changes up to the time of
 * the first check ({@link SinkProgress}); only those still there are reported.
 */
public final class Verifier {
    private static final Logger LOG = LoggerFactory.getLogger(Verifier.class);
    private static final int MAX_PENDING = 5_000;
    private static final int CHECKPOINT_EVERY_BATCHES = 50;
    private static final long MIN_ROUND_NANOS = 1_000_000_000L;

    private final MongoDatabase source;
    private final MongoDatabase target;
    private final VerifyOptions options;
    private final DocumentComparator comparator;
    private final BlobCheck blobs;
    private final ReferenceCheck references;
    private final SinkProgress progress;

    /**
     * @param blobStore where dehydrated blobs live; null to skip blob checks
     */
    public Verifier(MongoDatabase source, MongoDatabase target, VerifyOptions options, ObjectStore blobStore) {
        this.source = source;
        this.target = target;
        this.options = options;
        this.comparator = new DocumentComparator(options.numericWidening());
        this.blobs = blobStore == null || !options.checkBlobs() ? null : new BlobCheck(blobStore);
        this.references = new ReferenceCheck(target);
        this.progress = new SinkProgress(source, target, options.metadataCollection());
    }

    /** Verifies every target collection fed by {@code inputs}, in the order they first appear. */
    public List<CollectionReport> verify(List<ExpectedTarget> inputs) {
        Map<String, List<Integer>> feeding = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            for (String t : inputs.get(i).targets()) {
                feeding.computeIfAbsent(t, k -> new ArrayList<>()).add(i);
            }
        }
        if (options.mode() == VerifyOptions.Mode.COUNTS) {
            return counts(inputs, feeding);
        }
        Checkpoints checkpoints = new Checkpoints(target, options.metadataCollection(), options.runKey());
        if (!options.resume()) {
            checkpoints.clear();
        }
        ExecutorService pool = Executors.newFixedThreadPool(options.partitions(), r -> {
            Thread t = new Thread(r, "changeover-verify");
            t.setDaemon(true);
            return t;
        });
        try {
            Run run = new Run(inputs, feeding, checkpoints, pool);
            List<CollectionReport> reports = run.verifyAll();
            checkpoints.clear();
            return reports;
        } finally {
            pool.shutdownNow();
        }
    }

    private List<CollectionReport> counts(List<ExpectedTarget> inputs, Map<String, List<Integer>> feeding) {
        List<CollectionReport> reports = new ArrayList<>();
        feeding.forEach((t, idx) -> {
            Tally tally = new Tally(t);
            idx.forEach(i -> tally.source(source.getCollection(inputs.get(i).sourceCollection()).countDocuments()));
            tally.target(target.getCollection(t).countDocuments());
            reports.add(tally.report());
        });
        return reports;
    }

    static byte[] idKey(BsonValue id) {
        return OutputRecords.key(id);
    }

    /** One verification run over every target collection. */
    private final class Run {
        private final List<ExpectedTarget> inputs;
        private final Map<String, List<Integer>> feeding;
        private final Checkpoints checkpoints;
        private final ExecutorService pool;
        private final Map<String, Tally> tallies = new LinkedHashMap<>();
        private final Map<String, SortedSpill> expected = new HashMap<>();
        private final Map<String, Sampler> samplers = new HashMap<>();

        Run(List<ExpectedTarget> inputs, Map<String, List<Integer>> feeding, Checkpoints checkpoints,
            ExecutorService pool) {
            this.inputs = inputs;
            this.feeding = feeding;
            this.checkpoints = checkpoints;
            this.pool = pool;
        }

        List<CollectionReport> verifyAll() {
            try {
                for (String t : feeding.keySet()) {
                    tallies.put(t, new Tally(t));
                    expected.put(t, new SortedSpill(options.workDirectory().resolve(t), options.spillBufferBytes()));
                    samplers.put(t, sampler(t));
                }
                for (int i = 0; i < inputs.size(); i++) {
                    readSource(i);
                }
                List<CollectionReport> reports = new ArrayList<>();
                for (String t : feeding.keySet()) {
                    reports.add(verifyTarget(t));
                }
                return reports;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("verification interrupted", e);
            } finally {
                expected.values().forEach(SortedSpill::close);
            }
        }

        private Sampler sampler(String t) {
            if (options.mode() != VerifyOptions.Mode.SAMPLED) {
                return Sampler.all();
            }
            double fraction = options.sampleFraction();
            if (fraction < 0) {
                long size = Math.max(1, target.getCollection(t).estimatedDocumentCount());
                fraction = Math.min(1.0, (double) options.sampleCount() / size);
            }
            return new Sampler(fraction, options.seed());
        }

        /** Phase 1: read and transform one source collection, partitioned, into the expected spills. */
        private void readSource(int index) throws InterruptedException {
            ExpectedTarget input = inputs.get(index);
            MongoCollection<BsonDocument> collection = source.getCollection(input.sourceCollection(), BsonDocument.class);
            List<Bson> ranges = Partitioner.ranges(collection, options.partitions(), options.batchSize());
            List<Future<?>> futures = new ArrayList<>();
            for (Bson range : ranges) {
                futures.add(pool.submit(() -> readRange(index, collection, range)));
            }
            await(futures);
            LOG.info("verify: read source collection '{}' in {} range(s)", input.sourceCollection(), ranges.size());
        }

        private void readRange(int index, MongoCollection<BsonDocument> collection, Bson range) {
            List<BsonDocument> batch = new ArrayList<>(options.batchSize());
            try (MongoCursor<BsonDocument> cursor = collection.find(range).sort(Sorts.ascending("_id"))
                    .batchSize(options.batchSize()).iterator()) {
                while (cursor.hasNext()) {
                    batch.add(cursor.next());
                    if (batch.size() == options.batchSize()) {
                        expect(index, batch);
                        batch = new ArrayList<>(options.batchSize());
                    }
                }
            }
            expect(index, batch);
        }

        private void expect(int index, List<BsonDocument> batch) {
            if (batch.isEmpty()) {
                return;
            }
            ExpectedTarget input = inputs.get(index);
            String first = input.targets().get(0);
            tallies.get(first).source(batch.size());
            for (ExpectedTarget.Expectation e : input.of(batch)) {
                if (e.rejection() != null) {
                    tallies.get(first).rejected(1);
                } else if (e.document() != null) {
                    spill(index, e);
                }
            }
        }

        private void spill(int index, ExpectedTarget.Expectation e) {
            SortedSpill spill = expected.get(e.target());
            if (spill == null) {
                throw new IllegalStateException("source collection '" + inputs.get(index).sourceCollection()
                        + "' produced a document for '" + e.target() + "', not among its targets " + feeding.keySet());
            }
            byte[] idKey = idKey(e.document().get("_id"));
            if (!samplers.get(e.target()).selects(idKey)) {
                return;
            }
            byte[] sourceKey = idKey(e.sourceId());
            byte[] key = new byte[idKey.length + 1 + sourceKey.length];
            System.arraycopy(idKey, 0, key, 0, idKey.length);
            System.arraycopy(sourceKey, 0, key, idKey.length + 1, sourceKey.length);
            BsonArray unresolved = new BsonArray(new ArrayList<>(e.unresolved()));
            BsonDocument value = new BsonDocument("i", new BsonInt32(index)).append("s", e.sourceId())
                    .append("d", e.document()).append("u", unresolved);
            spill.add(key, OutputRecords.value(value));
        }

        /** Phases 2 and 3 for one target collection, then the rechecks. */
        private CollectionReport verifyTarget(String t) throws InterruptedException {
            Tally tally = tallies.get(t);
            Optional<Checkpoints.Progress> resumed = options.resume() ? checkpoints.load(t) : Optional.empty();
            if (resumed.isPresent() && resumed.get().done()) {
                LOG.info("verify: '{}' done in the checkpoint; not compared again", t);
                return resumed.get().counts();
            }
            byte[] after = resumed.map(Checkpoints.Progress::lastKey).orElse(null);
            resumed.ifPresent(p -> tally.restore(p.counts()));
            List<Pending> pending = Collections.synchronizedList(new ArrayList<>());
            compare(t, tally, pending, after);
            findExtra(t, tally, pending);
            recheck(t, tally, pending);
            CollectionReport report = tally.report();
            checkpoints.save(t, null, report, true);
            return report;
        }

        /** Phase 2: expected documents grouped by target id, compared in parallel batches. */
        private void compare(String t, Tally tally, List<Pending> pending, byte[] after) throws InterruptedException {
            Semaphore inFlight = new Semaphore(options.partitions() * 2);
            List<Future<?>> futures = new ArrayList<>();
            List<Group> batch = new ArrayList<>();
            Group group = null;
            int batches = 0;
            Iterator<SortedSpill.Entry> entries = expected.get(t).sorted();
            while (entries.hasNext()) {
                SortedSpill.Entry entry = entries.next();
                byte[] idKey = prefix(entry.key());
                if (after != null && Arrays.compareUnsigned(idKey, after) <= 0) {
                    continue;
                }
                if (group == null || !Arrays.equals(group.idKey, idKey)) {
                    if (group != null) {
                        batch.add(group);
                    }
                    if (batch.size() == options.batchSize()) {
                        submit(t, tally, pending, batch, inFlight, futures);
                        batch = new ArrayList<>();
                        if (++batches % CHECKPOINT_EVERY_BATCHES == 0) {
                            await(futures);
                            checkpoint(t, tally, pending, group.idKey);
                        }
                    }
                    group = new Group(idKey);
                }
                group.add(OutputRecords.document(entry.value()));
            }
            if (group != null) {
                batch.add(group);
            }
            submit(t, tally, pending, batch, inFlight, futures);
            await(futures);
        }

        private void checkpoint(String t, Tally tally, List<Pending> pending, byte[] lastKey)
                throws InterruptedException {
            recheck(t, tally, pending);
            checkpoints.save(t, lastKey, tally.report(), false);
        }

        private void submit(String t, Tally tally, List<Pending> pending, List<Group> batch, Semaphore inFlight,
                            List<Future<?>> futures) throws InterruptedException {
            if (batch.isEmpty()) {
                return;
            }
            inFlight.acquire();
            futures.add(pool.submit(() -> {
                try {
                    compareBatch(t, tally, pending, batch);
                } finally {
                    inFlight.release();
                }
            }));
        }

        private void compareBatch(String t, Tally tally, List<Pending> pending, List<Group> batch) {
            Map<BsonValue, BsonDocument> actual = fetch(t, batch.stream().map(g -> g.id(inputs)).toList());
            List<ReferenceCheck.Subject> subjects = new ArrayList<>();
            for (Group g : batch) {
                tally.expected(1);
                BsonDocument a = actual.get(g.id(inputs));
                Optional<Difference> d = differenceOf(g.id(inputs), g.document(inputs), a);
                d.ifPresent(diff -> pend(tally, pending, new Pending(diff, g)));
                if (a != null) {
                    subjects.add(new ReferenceCheck.Subject(a, g.unresolved));
                    if (blobs != null) {
                        blobs.check(a).forEach(tally::add);
                    }
                }
            }
            references.dangling(rules(t), subjects).forEach(diff -> pend(tally, pending,
                    new Pending(diff, batch.stream().filter(g -> g.id(inputs).equals(diff.id())).findFirst().orElse(null))));
        }

        private Optional<Difference> differenceOf(BsonValue id, BsonDocument expectedDoc, BsonDocument actual) {
            if (expectedDoc == null && actual == null) {
                return Optional.empty();
            }
            if (expectedDoc == null) {
                return Optional.of(new Difference(Difference.Kind.EXTRA, id, List.of()));
            }
            if (actual == null) {
                return Optional.of(new Difference(Difference.Kind.MISSING, id, List.of()));
            }
            List<String> fields = comparator.differences(expectedDoc, actual);
            return fields.isEmpty() ? Optional.empty()
                    : Optional.of(new Difference(Difference.Kind.DIFFERENT, id, fields));
        }

        private void pend(Tally tally, List<Pending> pending, Pending p) {
            if (options.recheckWait().isZero() || options.recheckRounds() == 0 || pending.size() >= MAX_PENDING) {
                tally.add(p.difference);
            } else {
                pending.add(p);
            }
        }

        private List<ExpectedTarget.ReferenceRule> rules(String t) {
            Set<ExpectedTarget.ReferenceRule> rules = new LinkedHashSet<>();
            feeding.get(t).forEach(i -> rules.addAll(inputs.get(i).references()));
            return List.copyOf(rules);
        }

        /** Target documents by id, without the fields that are not data. */
        private Map<BsonValue, BsonDocument> fetch(String t, List<BsonValue> ids) {
            Map<BsonValue, BsonDocument> found = new HashMap<>();
            if (!ids.isEmpty()) {
                for (BsonDocument doc : target.getCollection(t, BsonDocument.class).find(Filters.in("_id", ids))) {
                    options.ignoredFields().forEach(doc::remove);
                    found.put(doc.get("_id"), doc);
                }
            }
            return found;
        }

        /** Phase 3: target ids not among the expected ones (in the sample, when sampled). */
        private void findExtra(String t, Tally tally, List<Pending> pending) {
            Sampler sampler = samplers.get(t);
            try (SortedSpill actualIds = new SortedSpill(options.workDirectory().resolve(t + ".ids"),
                    options.spillBufferBytes())) {
                for (BsonDocument doc : target.getCollection(t, BsonDocument.class).find()
                        .projection(Projections.include("_id")).batchSize(5_000)) {
                    tally.target(1);
                    byte[] key = idKey(doc.get("_id"));
                    if (sampler.selects(key)) {
                        actualIds.add(key, new byte[0]);
                    }
                }
                Iterator<SortedSpill.Entry> expectedKeys = expected.get(t).sorted();
                byte[] next = nextPrefix(expectedKeys, null);
                Iterator<SortedSpill.Entry> actualKeys = actualIds.sorted();
                while (actualKeys.hasNext()) {
                    byte[] key = actualKeys.next().key();
                    while (next != null && Arrays.compareUnsigned(next, key) < 0) {
                        next = nextPrefix(expectedKeys, next);
                    }
                    if ((next == null || !Arrays.equals(next, key))) {
                        pend(tally, pending, new Pending(new Difference(Difference.Kind.EXTRA,
                                OutputRecords.id(key), List.of()), null));
                    }
                }
            }
        }

        /** Checks pending differences again once the pipeline passed the source time of the check before. */
        private void recheck(String t, Tally tally, List<Pending> pending) throws InterruptedException {
            List<Pending> open = new ArrayList<>(pending);
            pending.clear();
            for (int round = 0; round < options.recheckRounds() && !open.isEmpty(); round++) {
                long sourceTime = progress.sourceTime();
                long started = System.nanoTime();
                boolean caughtUp = progress.awaitApplied(t, sourceTime, options.recheckWait());
                // the sink's position is its highest applied one: other partitions of the collection may still be
                // behind it, so rounds are at least a second apart for that skew to settle
                long minimum = Math.min(options.recheckWait().toNanos(), MIN_ROUND_NANOS);
                long left = minimum - (System.nanoTime() - started);
                if (left > 0) {
                    Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
                }
                LOG.info("verify: rechecking {} difference(s) of '{}' (round {}, pipeline {} the first check's "
                        + "source time)", open.size(), t, round + 1, caughtUp ? "past" : "not yet past");
                List<Pending> still = new ArrayList<>();
                for (Pending p : open) {
                    recheckOne(t, p).ifPresent(d -> still.add(new Pending(d, p.group)));
                }
                tally.resolved(open.size() - still.size());
                open = still;
            }
            open.forEach(p -> tally.add(p.difference));
        }

        private Optional<Difference> recheckOne(String t, Pending p) {
            BsonValue id = p.difference.id();
            // the source first, then the target, as in the first check; the target read before only names members
            ExpectedNow now = expectedNow(t, p, id, fetch(t, List.of(id)).get(id));
            BsonDocument actual = fetch(t, List.of(id)).get(id);
            Optional<Difference> d = differenceOf(id, now.document(), actual);
            if (d.isPresent() || p.difference.kind() != Difference.Kind.DANGLING || actual == null) {
                return d;
            }
            // what the spec leaves unresolved now, not at the first check: a parent deleted or filtered out since
            // is a reference the spec keeps as its old id, expected to dangle
            List<Difference> dangling = references.dangling(rules(t), List.of(new ReferenceCheck.Subject(actual,
                    now.unresolved())));
            return dangling.isEmpty() ? Optional.empty() : Optional.of(dangling.get(0));
        }

        /**
         * The expected document of target id {@code id} from the source as it is now (null when none), and the
         * source ids its source documents reference that the spec leaves unresolved now. Its source documents: those
         * of the first check, and the one the target document names ({@link ExpectedTarget#sourceIdsNamedBy}), which
         * may have joined the target id since (a job completed again, or inserted, after the source was read).
         */
        private ExpectedNow expectedNow(String t, Pending p, BsonValue id, BsonDocument current) {
            byte[] idKey = idKey(id);
            List<ExpectedTarget.Candidate> candidates = new ArrayList<>();
            Set<BsonValue> unresolved = new HashSet<>();
            int inputIndex = -1;
            for (int i : feeding.get(t)) {
                Set<BsonValue> sourceIds = new LinkedHashSet<>();
                sourceIds.add(id); // ids kept as they are
                if (p.group != null) {
                    sourceIds.addAll(p.group.sourceIds);
                }
                if (current != null) {
                    sourceIds.addAll(inputs.get(i).sourceIdsNamedBy(current));
                }
                List<BsonDocument> docs = source.getCollection(inputs.get(i).sourceCollection(), BsonDocument.class)
                        .find(Filters.in("_id", sourceIds)).into(new ArrayList<>());
                for (ExpectedTarget.Expectation e : inputs.get(i).of(docs)) {
                    if (e.document() != null && t.equals(e.target()) && Arrays.equals(idKey(e.document().get("_id")), idKey)) {
                        candidates.add(new ExpectedTarget.Candidate(idKey(e.sourceId()), e.document()));
                        unresolved.addAll(e.unresolved());
                        inputIndex = i;
                    }
                }
            }
            if (candidates.isEmpty()) {
                return new ExpectedNow(null, Set.of());
            }
            candidates.sort((a, b) -> Arrays.compareUnsigned(a.sourceKey(), b.sourceKey()));
            BsonDocument document = candidates.size() == 1 ? candidates.get(0).document()
                    : inputs.get(inputIndex).combine(candidates);
            return new ExpectedNow(document, unresolved);
        }
    }

    /** A target id's expected document recomputed from the source now, and the references it leaves unresolved. */
    private record ExpectedNow(BsonDocument document, Set<BsonValue> unresolved) {
    }

    private static byte[] nextPrefix(Iterator<SortedSpill.Entry> entries, byte[] current) {
        while (entries.hasNext()) {
            byte[] p = prefix(entries.next().key());
            if (current == null || !Arrays.equals(p, current)) {
                return p;
            }
        }
        return null;
    }

    /** The target id key of a spill key (up to the 0 separator). */
    private static byte[] prefix(byte[] key) {
        for (int i = 0; i < key.length; i++) {
            if (key[i] == 0) {
                return Arrays.copyOf(key, i);
            }
        }
        return key;
    }

    private static void await(List<Future<?>> futures) throws InterruptedException {
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("verification failed: " + cause.getMessage(), cause);
        } finally {
            futures.clear();
        }
    }

    /** A difference waiting to be checked again, with what is needed to recompute it. */
    private record Pending(Difference difference, Group group) {
    }

    /** The expected documents of one target id (several with dedupe), in source-key order. */
    private static final class Group {
        final byte[] idKey;
        final List<BsonDocument> values = new ArrayList<>(1);
        final List<BsonValue> sourceIds = new ArrayList<>(1);
        final Set<BsonValue> unresolved = new HashSet<>();
        private BsonDocument combined;

        Group(byte[] idKey) {
            this.idKey = idKey;
        }

        void add(BsonDocument value) {
            values.add(value);
            sourceIds.add(value.get("s"));
            value.getArray("u").forEach(unresolved::add);
        }

        BsonValue id(List<ExpectedTarget> inputs) {
            return values.get(0).getDocument("d").get("_id");
        }

        BsonDocument document(List<ExpectedTarget> inputs) {
            if (combined == null) {
                if (values.size() == 1) {
                    combined = values.get(0).getDocument("d");
                } else {
                    List<ExpectedTarget.Candidate> candidates = new ArrayList<>();
                    for (BsonDocument v : values) {
                        candidates.add(new ExpectedTarget.Candidate(idKey(v.get("s")), v.getDocument("d")));
                    }
                    combined = inputs.get(values.get(0).getInt32("i").getValue()).combine(candidates);
                }
            }
            return combined;
        }
    }
}
