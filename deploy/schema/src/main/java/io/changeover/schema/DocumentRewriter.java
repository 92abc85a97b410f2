package io.changeover.schema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;

import io.changeover.transform.engine.CollectionTransform;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.engine.TransformResult;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;
import io.changeover.transform.step.StepRegistry;
import io.changeover.verify.ExpectedSpecStrategy;

/**
 * Applies one schema migration's steps to a database's documents, in place: a document the steps change is
 * replaced, one they filter out is removed, one routed into another collection is written there. With
 * {@code dryRun} it only counts. The ids are read first, then documents in chunks, so rewritten documents are never
 * read twice. A migration whose steps read other documents or give documents new ids ({@code remap}, {@code lookup},
 * {@code rehash-id}, {@code dedupe}) is computed whole before anything is written ({@link #applyWhole}).
 */
public final class DocumentRewriter {
    private static final int CHUNK = 500;
    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);

    private DocumentRewriter() {
    }

    /** The migration's {@code collections:} compiled with the spec engine (source and target are this database). */
    public static CompiledSpec compile(SchemaMigration migration, String uri, String database) {
        String header = "migration: schema-v" + migration.version().text().replace('.', '_') + "\n"
                + "source: {uri: \"" + uri + "\", database: \"" + database + "\"}\n"
                + "target: {uri: \"" + uri + "\", database: \"" + database + "\"}\n"
                + "kafka: {bootstrap.servers: \"unused:9092\"}\n";
        MigrationSpec spec = SpecLoader.parse(header + migration.yaml(), migration.file().toString(), StepRegistry.standard());
        return CompiledSpec.compile(spec);
    }

    public static List<StepCounts> apply(CompiledSpec compiled, MongoDatabase db, boolean dryRun) {
        if (compiled.collections().stream().anyMatch(t -> needsWholeSource(compiled, t, db))) {
            return applyWhole(compiled, db, dryRun);
        }
        List<StepCounts> counts = new ArrayList<>();
        for (CollectionTransform t : compiled.collections()) {
            counts.add(apply(t, db, dryRun));
        }
        return counts;
    }

    /**
     * Whether a collection's documents cannot be rewritten one at a time: a step reads other documents ({@code remap},
     * {@code lookup}) or several documents may share a target id ({@code rehash-id}, {@code dedupe}, ...).
     */
    private static boolean needsWholeSource(CompiledSpec compiled, CollectionTransform t, MongoDatabase db) {
        return !t.remapSources().isEmpty() || !t.lookupSources().isEmpty() || t.dedupe().isPresent()
                || new ExpectedSpecStrategy(compiled, t, db).changesIds();
    }

    /**
     * Every collection's result computed before anything is written, with the verifier's expectation
     * ({@link ExpectedSpecStrategy}: references resolved through the ids the referenced documents get, side documents
     * read from this database, dedupe groups combined), since rewriting in place changes the ids and side documents
     * later documents need. Then each collection is rewritten: what lands in it is upserted, its other documents are
     * removed. A rejected document fails the migration before any write. Memory: the expected documents.
     */
    private static List<StepCounts> applyWhole(CompiledSpec compiled, MongoDatabase db, boolean dryRun) {
        Map<CollectionTransform, Map<ExpectedSpecStrategy.Placement, BsonDocument>> expected = new LinkedHashMap<>();
        for (CollectionTransform t : compiled.collections()) {
            expected.put(t, new ExpectedSpecStrategy(compiled, t, db).expectedDocuments(rejected -> {
                throw new IllegalStateException(t.source() + " " + rejected.sourceId() + ": " + rejected.rejection());
            }));
        }
        List<StepCounts> counts = new ArrayList<>();
        expected.forEach((t, documents) -> counts.add(rewrite(t, documents, db, dryRun)));
        return counts;
    }

    private static StepCounts rewrite(CollectionTransform t, Map<ExpectedSpecStrategy.Placement, BsonDocument> documents,
                                      MongoDatabase db, boolean dryRun) {
        MongoCollection<BsonDocument> source = db.getCollection(t.source(), BsonDocument.class);
        List<BsonValue> ids = new ArrayList<>();
        source.find().projection(Projections.include("_id")).forEach(d -> ids.add(d.get("_id")));
        Set<BsonValue> stay = new HashSet<>();
        List<WriteModel<BsonDocument>> inPlace = new ArrayList<>();
        long changed = 0;
        long copied = 0;
        for (Map.Entry<ExpectedSpecStrategy.Placement, BsonDocument> e : documents.entrySet()) {
            BsonDocument out = e.getValue();
            if (!e.getKey().target().equals(t.source())) {
                copied++;
                if (!dryRun) {
                    db.getCollection(e.getKey().target(), BsonDocument.class).replaceOne(Filters.eq("_id", out.get("_id")), out, UPSERT);
                }
                continue;
            }
            stay.add(out.get("_id"));
            if (!out.equals(source.find(Filters.eq("_id", out.get("_id"))).first())) {
                changed++;
                inPlace.add(new ReplaceOneModel<>(Filters.eq("_id", out.get("_id")), out, UPSERT));
            }
        }
        long removed = 0;
        for (BsonValue id : ids) {
            if (!stay.contains(id)) {
                removed++;
                inPlace.add(new DeleteOneModel<>(Filters.eq("_id", id)));
            }
        }
        if (!dryRun) {
            for (int i = 0; i < inPlace.size(); i += CHUNK) {
                write(source, inPlace.subList(i, Math.min(inPlace.size(), i + CHUNK)));
            }
        }
        return new StepCounts(t.source(), ids.size(), changed, removed, copied);
    }

    private static StepCounts apply(CollectionTransform t, MongoDatabase db, boolean dryRun) {
        MongoCollection<BsonDocument> source = db.getCollection(t.source(), BsonDocument.class);
        List<BsonValue> ids = new ArrayList<>();
        source.find().projection(Projections.include("_id")).forEach(d -> ids.add(d.get("_id")));
        long changed = 0;
        long removed = 0;
        long copied = 0;
        for (int i = 0; i < ids.size(); i += CHUNK) {
            List<WriteModel<BsonDocument>> inPlace = new ArrayList<>();
            List<BsonDocument> elsewhere = new ArrayList<>();
            List<String> elsewhereTargets = new ArrayList<>();
            for (BsonDocument doc : source.find(Filters.in("_id", ids.subList(i, Math.min(ids.size(), i + CHUNK))))) {
                TransformResult result = t.apply(doc);
                if (result.document().isEmpty()) {
                    removed++;
                    inPlace.add(new DeleteOneModel<>(Filters.eq("_id", doc.get("_id"))));
                    continue;
                }
                BsonDocument out = result.document().get();
                String target = result.target().orElse(t.target());
                if (!target.equals(t.source())) {
                    copied++;
                    elsewhere.add(out);
                    elsewhereTargets.add(target);
                } else if (!out.equals(doc)) {
                    changed++;
                    if (!out.get("_id").equals(doc.get("_id"))) {
                        inPlace.add(new DeleteOneModel<>(Filters.eq("_id", doc.get("_id"))));
                    }
                    inPlace.add(new ReplaceOneModel<>(Filters.eq("_id", out.get("_id")), out, UPSERT));
                }
            }
            if (!dryRun) {
                write(source, inPlace);
                for (int j = 0; j < elsewhere.size(); j++) {
                    BsonDocument out = elsewhere.get(j);
                    db.getCollection(elsewhereTargets.get(j), BsonDocument.class)
                            .replaceOne(Filters.eq("_id", out.get("_id")), out, UPSERT);
                }
            }
        }
        return new StepCounts(t.source(), ids.size(), changed, removed, copied);
    }

    private static void write(MongoCollection<BsonDocument> collection, List<WriteModel<BsonDocument>> writes) {
        if (!writes.isEmpty()) {
            collection.bulkWrite(writes);
        }
    }
}
