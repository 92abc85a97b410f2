package io.changeover.demo.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.bson.BsonDocument;

import io.changeover.demo.sample.SampleDataset;

/**
 * The jobs a bench writer may change: those it inserted and those of the initial dataset that the demo spec migrates
 * (completed, not the dropped owner's, not a duplicate the dedupe step loses), minus those it deleted. Jobs are named
 * by their dataset index, so a replace can rebuild a job's identity fields exactly.
 */
final class LiveJobs {
    private static final Set<String> COMPLETED = Set.of("completed", "COMPLETED", "done", "Done");
    private static final String DROPPED_OWNER = "user039";
    private static final int TRIES = 64;
    private final SampleDataset dataset;
    private final SplittableRandom random;
    private final List<Integer> inserted = new ArrayList<>();
    private final Set<Integer> deleted = new HashSet<>();
    private int next;

    LiveJobs(SampleDataset dataset, int firstNewIndex, SplittableRandom random) {
        this.dataset = dataset;
        this.next = firstNewIndex;
        this.random = random;
    }

    /** The index of a new job, counted as live from now on. */
    int insert() {
        inserted.add(next);
        return next++;
    }

    /** A live migrated job, or -1 when none is found. */
    int pick() {
        if (!inserted.isEmpty() && random.nextBoolean()) {
            return inserted.get(random.nextInt(inserted.size()));
        }
        for (int i = 0; i < TRIES; i++) {
            int index = random.nextInt(dataset.size());
            if (!deleted.contains(index) && migrated(index)) {
                return index;
            }
        }
        return inserted.isEmpty() ? -1 : inserted.get(random.nextInt(inserted.size()));
    }

    /** Picks a live job and forgets it; -1 when none is found. */
    int delete() {
        int index = pick();
        if (index >= 0) {
            deleted.add(index);
            inserted.remove(Integer.valueOf(index));
        }
        return index;
    }

    int nextIndex() {
        return next;
    }

    private boolean migrated(int index) {
        if (dataset.originalOf(index) != index) {
            return false;
        }
        BsonDocument job = dataset.document(index);
        return COMPLETED.contains(job.getString("status").getValue())
                && !DROPPED_OWNER.equals(job.getString("owner").getValue());
    }
}
