package io.changeover.transform.step;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import io.changeover.transform.query.BsonCompare;
import io.changeover.transform.query.DocumentPath;

/**
 * What the target holds when several source documents of one collection map to the same target id, defined only on
 * data the source shows, so the verifier can compute it. The candidates are ordered by the bytes of their source-id
 * key ({@code OutputRecords.key(sourceId)}, UTF-8 canonical extended JSON of {@code {"_id": ...}}):
 * <ul>
 *   <li>{@code keep-first}: the first candidate's document;</li>
 *   <li>{@code keep-latest}: the candidate with the largest value of field {@code by} ({@code BsonCompare} order;
 *       missing or incomparable values lose); on a tie the first candidate;</li>
 *   <li>{@code merge}: the top-level fields of every candidate, in order, a later candidate's field overwriting;</li>
 *   <li>{@code dead-letter}: the first candidate is kept and every other one is a dead letter.</li>
 * </ul>
 * A collection whose steps may change {@code _id} and that declares no {@code dedupe} gets {@link #singleOwner()}: a
 * target id belongs to the one source document that maps to it; a second claim at the same time is a conflict (the
 * first candidate is kept, the other one is a dead letter naming both) until one of them moves away, when the
 * remaining claim's document is written.
 */
public record DedupePolicy(Kind kind, DocumentPath by) {
    /** The declared policies. */
    public enum Kind { KEEP_FIRST, KEEP_LATEST, MERGE, DEAD_LETTER, SINGLE_OWNER }

    /** One source document mapping to the target id: its source-id key bytes and its transformed document. */
    public record Candidate(byte[] sourceKey, BsonDocument document) {
    }

    /** The ownership of target ids when no {@code dedupe} is declared but the steps may change {@code _id}. */
    public static DedupePolicy singleOwner() {
        return new DedupePolicy(Kind.SINGLE_OWNER, null);
    }

    /** True when candidates other than the kept one are dead letters ({@code dead-letter} and single owner). */
    public boolean rejectsOthers() {
        return kind == Kind.DEAD_LETTER || kind == Kind.SINGLE_OWNER;
    }

    /** The step a dead letter of this policy names: {@code ownership} for single owner, else {@code dedupe}. */
    public String step() {
        return kind == Kind.SINGLE_OWNER ? "ownership" : "dedupe";
    }

    /** Why {@code rejected} is a dead letter while {@code kept} holds target key {@code targetKey} (keys as UTF-8). */
    public String reason(byte[] targetKey, Candidate rejected, Candidate kept) {
        String target = new String(targetKey, StandardCharsets.UTF_8);
        String rejectedId = new String(rejected.sourceKey(), StandardCharsets.UTF_8);
        String keptId = new String(kept.sourceKey(), StandardCharsets.UTF_8);
        if (kind == Kind.SINGLE_OWNER) {
            return "conflict on target " + target + ": claimed by source " + keptId + " and source " + rejectedId
                    + " at once (no dedupe declared); " + keptId + " is kept, " + rejectedId
                    + " is written when the other moves away";
        }
        return "a duplicate of target " + target + ": source " + rejectedId + " is rejected, source " + keptId
                + " is kept (policy dead-letter)";
    }

    /** The target document made of {@code candidates} (ordered as above; at least one). */
    public BsonDocument combine(List<Candidate> candidates) {
        return switch (kind) {
            case KEEP_FIRST, DEAD_LETTER, SINGLE_OWNER -> candidates.get(0).document();
            case KEEP_LATEST -> latest(candidates).document();
            case MERGE -> merge(candidates);
        };
    }

    /** The candidates that are dead letters (with {@code dead-letter} and single owner: all but the first). */
    public List<Candidate> deadLetters(List<Candidate> candidates) {
        return rejectsOthers() && candidates.size() > 1 ? candidates.subList(1, candidates.size()) : List.of();
    }

    private Candidate latest(List<Candidate> candidates) {
        Candidate best = candidates.get(0);
        for (Candidate c : candidates.subList(1, candidates.size())) {
            if (greater(by.get(c.document()), by.get(best.document()))) {
                best = c;
            }
        }
        return best;
    }

    private static boolean greater(Optional<BsonValue> a, Optional<BsonValue> b) {
        if (a.isEmpty()) {
            return false;
        }
        if (b.isEmpty()) {
            return true;
        }
        return BsonCompare.comparable(a.get(), b.get()) && BsonCompare.compare(a.get(), b.get()) > 0;
    }

    private static BsonDocument merge(List<Candidate> candidates) {
        BsonDocument merged = new BsonDocument();
        List<Candidate> ordered = new ArrayList<>(candidates);
        for (Candidate c : ordered) {
            merged.putAll(c.document());
        }
        return merged;
    }
}
