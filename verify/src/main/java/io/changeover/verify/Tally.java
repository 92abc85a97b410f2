package io.changeover.verify;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Counts of one target collection while it is verified; thread-safe. */
final class Tally {
    static final int MAX_SAMPLES = 20;
    final String target;
    private final Map<Difference.Kind, Long> counts = new EnumMap<>(Difference.Kind.class);
    private final List<Difference> samples = new ArrayList<>();
    private long sourceCount;
    private long expectedCount;
    private long targetCount;
    private long rejected;
    private long resolved;

    Tally(String target) {
        this.target = target;
    }

    /** Continues from a checkpoint's counts. */
    synchronized void restore(CollectionReport r) {
        sourceCount = 0; // the source is read again on resume
        expectedCount = r.expectedCount();
        targetCount = 0;
        rejected = 0;
        resolved = r.resolved();
        counts.put(Difference.Kind.MISSING, r.missing());
        counts.put(Difference.Kind.DIFFERENT, r.different());
        counts.put(Difference.Kind.DANGLING, r.dangling());
        counts.put(Difference.Kind.BLOB_MISSING, r.blobMissing());
        counts.put(Difference.Kind.BLOB_ALTERED, r.blobAltered());
        samples.addAll(r.samples().subList(0, Math.min(MAX_SAMPLES, r.samples().size())));
    }

    synchronized void add(Difference d) {
        counts.merge(d.kind(), 1L, Long::sum);
        if (samples.size() < MAX_SAMPLES) {
            samples.add(d);
        }
    }

    synchronized void source(long n) {
        sourceCount += n;
    }

    synchronized void expected(long n) {
        expectedCount += n;
    }

    synchronized void target(long n) {
        targetCount += n;
    }

    synchronized void rejected(long n) {
        rejected += n;
    }

    synchronized void resolved(long n) {
        resolved += n;
    }

    private long count(Difference.Kind kind) {
        return counts.getOrDefault(kind, 0L);
    }

    synchronized CollectionReport report() {
        return new CollectionReport(target, sourceCount, expectedCount, targetCount, count(Difference.Kind.MISSING),
                count(Difference.Kind.EXTRA), count(Difference.Kind.DIFFERENT), count(Difference.Kind.DANGLING),
                count(Difference.Kind.BLOB_MISSING), count(Difference.Kind.BLOB_ALTERED), rejected, resolved,
                samples);
    }
}
