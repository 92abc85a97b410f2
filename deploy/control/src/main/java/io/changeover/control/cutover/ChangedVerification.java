package io.changeover.control.cutover;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

import io.changeover.transform.engine.CollectionTransform;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.verify.ExpectedSpecStrategy;
import io.changeover.verify.ExpectedSpecStrategy.Placement;
import io.changeover.verify.ExpectedTarget.Expectation;

/**
 * Verifies only given source documents (those changed since the last full verification), with the verifier's own
 * way of computing expected documents ({@link ExpectedSpecStrategy}: references resolved through an id map read from
 * the source, {@code lookup} side documents read from the source, dedupe groups combined by the spec's policy).
 *
 * <p>Which documents: the changed ones; those whose side document (a {@code lookup} source) changed, matched by
 * {@code _id}; those referencing a changed document through a {@code remap} step. Each must be in the target exactly
 * as the spec makes it. Where it lands:
 * <ul>
 *   <li>without id changes, under its source id: present and equal, or absent when the spec filters it out or it was
 *       deleted from the source;</li>
 *   <li>with id changes ({@code rehash-id}, ...), every target document the changed documents now make, and every one
 *       that still names one of them in the {@code keep-old-id} field (where it was before the change), is compared
 *       with its whole group: all source documents landing there, found in one pass over the source collection. A
 *       document whose old target id nothing records (no {@code keep-old-id}) is not checked for a stale copy there;
 *       a full verification checks the rest.</li>
 * </ul>
 * A document the spec rejects (a data error: it is in the dead-letter topic, its target copy stays as it was) is
 * counted as a dead letter, not compared.
 */
public final class ChangedVerification {
    private static final int SAMPLES = 10;
    private static final int BATCH = 1_000;

    private ChangedVerification() {
    }

    /**
     * @param ids source ids per source collection
     */
    public static Result verify(CompiledSpec compiled, MongoDatabase source, MongoDatabase target, Map<String, Set<BsonValue>> ids) {
        Tally tally = new Tally();
        for (CollectionTransform t : compiled.collections()) {
            ExpectedSpecStrategy strategy = new ExpectedSpecStrategy(compiled, t, source);
            Set<BsonValue> subjects = subjects(t, strategy, ids);
            if (subjects.isEmpty()) {
                continue;
            }
            int changed = ids.getOrDefault(t.source(), Set.of()).size();
            tally.checked += changed;
            tally.affected += subjects.size() - changed;
            List<Expectation> expectations = expectations(strategy, source, t, subjects);
            if (strategy.changesIds()) {
                checkGroups(strategy, t, target, subjects, expectations, tally);
            } else {
                checkById(t, target, subjects, expectations, tally);
            }
        }
        return new Result(tally.checked, tally.affected, tally.mismatches, tally.deadLetters, tally.samples);
    }

    /** The changed documents of {@code t}, those whose side document changed, and those referencing a changed one. */
    private static Set<BsonValue> subjects(CollectionTransform t, ExpectedSpecStrategy strategy, Map<String, Set<BsonValue>> ids) {
        Set<BsonValue> subjects = new LinkedHashSet<>(ids.getOrDefault(t.source(), Set.of()));
        t.lookupSources().forEach(side -> subjects.addAll(ids.getOrDefault(side, Set.of())));
        subjects.addAll(strategy.referrers(ids));
        return subjects;
    }

    /** What each existing subject becomes; a subject absent from the source (deleted) has no expectation. */
    private static List<Expectation> expectations(ExpectedSpecStrategy strategy, MongoDatabase source, CollectionTransform t,
                                                  Set<BsonValue> subjects) {
        List<BsonValue> all = new ArrayList<>(subjects);
        List<Expectation> expectations = new ArrayList<>();
        for (int i = 0; i < all.size(); i += BATCH) {
            List<BsonDocument> docs = new ArrayList<>();
            source.getCollection(t.source(), BsonDocument.class)
                    .find(Filters.in("_id", all.subList(i, Math.min(all.size(), i + BATCH)))).into(docs);
            expectations.addAll(strategy.of(docs));
        }
        return expectations;
    }

    private static void checkById(CollectionTransform t, MongoDatabase target, Set<BsonValue> subjects,
                                  List<Expectation> expectations, Tally tally) {
        Map<BsonValue, Expectation> bySource = new HashMap<>();
        expectations.forEach(e -> bySource.put(e.sourceId(), e));
        for (BsonValue id : subjects) {
            Expectation e = bySource.get(id);
            if (e != null && e.rejection() != null) {
                tally.deadLetters++;
            } else if (e != null && e.document() != null) {
                compare(target, new Placement(e.target(), e.document().get("_id")), Optional.of(e.document()), tally);
            } else {
                for (String into : t.targets()) {
                    if (find(target, into, id) != null) {
                        tally.mismatch(into + " " + id + ": extra (" + (e == null ? "deleted from the source" : "filtered out by the spec") + ")");
                    }
                }
            }
        }
    }

    private static void checkGroups(ExpectedSpecStrategy strategy, CollectionTransform t, MongoDatabase target,
                                    Set<BsonValue> subjects, List<Expectation> expectations, Tally tally) {
        Set<Placement> placements = new LinkedHashSet<>();
        for (Expectation e : expectations) {
            if (e.rejection() != null) {
                tally.deadLetters++;
            }
            ExpectedSpecStrategy.placement(e).ifPresent(placements::add);
        }
        strategy.keepOldIdField().ifPresent(field -> {
            for (String into : t.targets()) {
                target.getCollection(into, BsonDocument.class).find(Filters.in(field, subjects))
                        .forEach(d -> placements.add(new Placement(into, d.get("_id"))));
            }
        });
        Map<Placement, List<BsonDocument>> groups = strategy.sourcesOf(placements);
        for (Placement p : placements) {
            compare(target, p, strategy.expectedGroup(p, groups.getOrDefault(p, List.of())), tally);
        }
    }

    private static void compare(MongoDatabase target, Placement p, Optional<BsonDocument> expected, Tally tally) {
        BsonDocument actual = SinkMarkers.unstamped(find(target, p.target(), p.id()));
        if (expected.isEmpty()) {
            if (actual != null) {
                tally.mismatch(p.target() + " " + p.id() + ": extra (no source document lands there any more)");
            }
        } else if (actual == null) {
            tally.mismatch(p.target() + " " + p.id() + ": missing");
        } else if (!expected.get().equals(actual)) {
            tally.mismatch(p.target() + " " + p.id() + ": different");
        }
    }

    private static BsonDocument find(MongoDatabase target, String collection, BsonValue id) {
        return target.getCollection(collection, BsonDocument.class).find(Filters.eq("_id", id)).first();
    }

    /** Counts while checking. */
    private static final class Tally {
        long checked;
        long affected;
        long mismatches;
        long deadLetters;
        final List<String> samples = new ArrayList<>();

        void mismatch(String description) {
            mismatches++;
            if (samples.size() < SAMPLES) {
                samples.add(description);
            }
        }
    }

    /**
     * @param checked     changed source documents checked
     * @param affected    unchanged source documents checked because a side document or a document they reference changed
     * @param mismatches  target documents not as the spec makes them
     * @param deadLetters checked documents the spec rejects (data errors: in the dead-letter topic, not compared)
     * @param samples     the first few mismatches, described
     */
    public record Result(long checked, long affected, long mismatches, long deadLetters, List<String> samples) {
    }
}
