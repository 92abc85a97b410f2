package io.changeover.verify;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;

/**
 * Finds dangling references in a batch of target documents: values at a reference field ({@link
 * ExpectedTarget.ReferenceRule}, through arrays) with no document of that {@code _id} in the referenced target
 * collection. One {@code $in} query per rule and batch. References the spec itself leaves unresolved (a source
 * reference to a document that has no target) are expected to dangle and are not reported.
 */
final class ReferenceCheck {
    private final MongoDatabase target;

    ReferenceCheck(MongoDatabase target) {
        this.target = target;
    }

    /** A target document to check, and the ids its expected document was expected to leave dangling. */
    record Subject(BsonDocument actual, Set<BsonValue> unresolved) {
    }

    List<Difference> dangling(List<ExpectedTarget.ReferenceRule> rules, List<Subject> subjects) {
        List<Difference> found = new ArrayList<>();
        for (ExpectedTarget.ReferenceRule rule : rules) {
            Set<BsonValue> referenced = new HashSet<>();
            for (Subject s : subjects) {
                referenced.addAll(values(s.actual(), rule.field()));
            }
            Set<BsonValue> existing = existing(rule.collection(), referenced);
            for (Subject s : subjects) {
                for (BsonValue value : values(s.actual(), rule.field())) {
                    if (!existing.contains(value) && !s.unresolved().contains(value)) {
                        found.add(new Difference(Difference.Kind.DANGLING, s.actual().get("_id"),
                                List.of(rule.field()), rule.collection() + " " + new BsonDocument("_id", value).toJson()));
                    }
                }
            }
        }
        return found;
    }

    Set<BsonValue> existing(String collection, Set<BsonValue> ids) {
        Set<BsonValue> existing = new HashSet<>();
        if (!ids.isEmpty()) {
            target.getCollection(collection, BsonDocument.class).find(Filters.in("_id", ids))
                    .projection(Projections.include("_id")).forEach(d -> existing.add(d.get("_id")));
        }
        return existing;
    }

    /** Non-null values at a dotted path, descending into arrays. */
    static List<BsonValue> values(BsonDocument document, String path) {
        List<BsonValue> out = new ArrayList<>();
        collect(document, path.split("\\."), 0, out);
        return out;
    }

    private static void collect(BsonValue value, String[] parts, int i, List<BsonValue> out) {
        if (value == null || value.isNull()) {
            return;
        }
        if (value.isArray()) {
            value.asArray().forEach(v -> collect(v, parts, i, out));
            return;
        }
        if (i == parts.length) {
            out.add(value);
            return;
        }
        if (value.isDocument()) {
            collect(value.asDocument().get(parts[i]), parts, i + 1, out);
        }
    }

    /** For tests: the references of one document. */
    static Map<String, List<BsonValue>> of(BsonDocument document, List<ExpectedTarget.ReferenceRule> rules) {
        Map<String, List<BsonValue>> refs = new java.util.LinkedHashMap<>();
        rules.forEach(r -> refs.put(r.field(), values(document, r.field())));
        return refs;
    }
}
