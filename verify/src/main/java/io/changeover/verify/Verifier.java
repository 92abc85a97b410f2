package io.changeover.verify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.conversions.Bson;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;

/**
 * Compares the target with the transform applied to the source, document by document. It reads both databases
 * directly and computes each expected document itself; it never reads the pipeline's topics or state.
 *
 * <p>Source documents are read in {@code _id} order in batches; each batch's expected documents are fetched from the
 * target with one {@code $in} query. Only target ids are kept in memory (to find extra documents).
 */
public final class Verifier {
    private static final int BATCH = 500;
    private static final int MAX_SAMPLES = 20;
    private final MongoDatabase source;
    private final MongoDatabase target;
    private final DocumentComparator comparator;

    public Verifier(MongoDatabase source, MongoDatabase target, DocumentComparator comparator) {
        this.source = source;
        this.target = target;
        this.comparator = comparator;
    }

    /** One source collection and how its documents become target documents. */
    public record Input(String sourceCollection, ExpectedTarget expected) {
    }

    /** Verifies one target collection fed by {@code inputs}. */
    public CollectionReport verify(String targetCollection, List<Input> inputs) {
        Tally tally = new Tally(targetCollection);
        MongoCollection<BsonDocument> targetDocs = target.getCollection(targetCollection, BsonDocument.class);
        for (Input input : inputs) {
            MongoCollection<BsonDocument> sourceDocs = source.getCollection(input.sourceCollection(), BsonDocument.class);
            List<BsonDocument> batch = new ArrayList<>(BATCH);
            try (MongoCursor<BsonDocument> cursor = sourceDocs.find().sort(Sorts.ascending("_id")).batchSize(BATCH).iterator()) {
                while (cursor.hasNext()) {
                    batch.add(cursor.next());
                    if (batch.size() == BATCH) {
                        compareBatch(batch, input.expected(), targetDocs, tally);
                        batch.clear();
                    }
                }
            }
            compareBatch(batch, input.expected(), targetDocs, tally);
        }
        findExtra(targetDocs, tally);
        return tally.report();
    }

    private void compareBatch(List<BsonDocument> batch, ExpectedTarget expectedTarget,
                              MongoCollection<BsonDocument> targetDocs, Tally tally) {
        if (batch.isEmpty()) {
            return;
        }
        Map<BsonValue, BsonDocument> expected = new HashMap<>();
        for (BsonDocument doc : batch) {
            tally.sourceCount++;
            Optional<BsonDocument> e = expectedTarget.of(doc);
            e.ifPresent(d -> expected.put(d.get("_id"), d));
        }
        if (expected.isEmpty()) {
            return;
        }
        Map<BsonValue, BsonDocument> actual = new HashMap<>();
        Bson byIds = Filters.in("_id", expected.keySet());
        for (BsonDocument doc : targetDocs.find(byIds)) {
            actual.put(doc.get("_id"), doc);
        }
        expected.forEach((id, doc) -> compareOne(id, doc, actual.get(id), tally));
    }

    private void compareOne(BsonValue id, BsonDocument expected, BsonDocument actual, Tally tally) {
        tally.expectedIds.add(id);
        if (actual == null) {
            tally.add(new Difference(Difference.Kind.MISSING, id, List.of()));
            return;
        }
        List<String> fields = comparator.differences(expected, actual);
        if (!fields.isEmpty()) {
            tally.add(new Difference(Difference.Kind.DIFFERENT, id, fields));
        }
    }

    private void findExtra(MongoCollection<BsonDocument> targetDocs, Tally tally) {
        for (BsonDocument doc : targetDocs.find().projection(Projections.include("_id")).batchSize(5_000)) {
            tally.targetCount++;
            BsonValue id = doc.get("_id");
            if (!tally.expectedIds.contains(id)) {
                tally.add(new Difference(Difference.Kind.EXTRA, id, List.of()));
            }
        }
    }

    /** Counts for one target collection while it is verified. */
    private static final class Tally {
        final String target;
        final Set<BsonValue> expectedIds = new HashSet<>();
        final List<Difference> samples = new ArrayList<>();
        long sourceCount;
        long targetCount;
        long missing;
        long extra;
        long different;

        Tally(String target) {
            this.target = target;
        }

        void add(Difference d) {
            switch (d.kind()) {
                case MISSING -> missing++;
                case EXTRA -> extra++;
                case DIFFERENT -> different++;
            }
            if (samples.size() < MAX_SAMPLES) {
                samples.add(d);
            }
        }

        CollectionReport report() {
            return new CollectionReport(target, sourceCount, expectedIds.size(), targetCount, missing, extra, different,
                    List.copyOf(samples));
        }
    }
}
