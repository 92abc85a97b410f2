package io.changeover.app.cutover;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

import io.changeover.transform.engine.CollectionTransform;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.engine.TransformResult;

/**
 * Verifies only given source documents (those changed since the last full verification): each must be in the target
 * exactly as the spec makes it; one the spec filters out, or deleted from the source, must not be in the target under
 * its source id (for specs that give documents new ids, absence is checked by the source id only; a full verification
 * checks the rest).
 */
public final class ChangedVerification {
    private static final int SAMPLES = 10;

    private ChangedVerification() {
    }

    /**
     * @param ids source ids per source collection
     */
    public static Result verify(CompiledSpec compiled, MongoDatabase source, MongoDatabase target, Map<String, Set<BsonValue>> ids) {
        long checked = 0;
        long mismatches = 0;
        List<String> samples = new ArrayList<>();
        for (CollectionTransform t : compiled.collections()) {
            for (BsonValue id : ids.getOrDefault(t.source(), Set.of())) {
                checked++;
                String problem = check(t, id, source, target);
                if (problem != null) {
                    mismatches++;
                    if (samples.size() < SAMPLES) {
                        samples.add(problem);
                    }
                }
            }
        }
        return new Result(checked, mismatches, samples);
    }

    private static String check(CollectionTransform t, BsonValue id, MongoDatabase source, MongoDatabase target) {
        BsonDocument doc = source.getCollection(t.source(), BsonDocument.class).find(Filters.eq("_id", id)).first();
        TransformResult result = doc == null ? null : t.apply(doc);
        if (result != null && result.document().isPresent()) {
            BsonDocument expected = result.document().get();
            String into = result.target().orElse(t.target());
            BsonDocument actual = SinkMarkers.unstamped(
                    target.getCollection(into, BsonDocument.class).find(Filters.eq("_id", expected.get("_id"))).first());
            if (actual == null) {
                return into + " " + expected.get("_id") + ": missing";
            }
            return expected.equals(actual) ? null : into + " " + expected.get("_id") + ": different";
        }
        for (String into : t.targets()) {
            if (target.getCollection(into, BsonDocument.class).find(Filters.eq("_id", id)).first() != null) {
                return into + " " + id + ": extra (" + (doc == null ? "deleted from the source" : "filtered out by the spec") + ")";
            }
        }
        return null;
    }

    /**
     * @param checked    source documents checked
     * @param mismatches documents not as the spec makes them
     * @param samples    the first few, described
     */
    public record Result(long checked, long mismatches, List<String> samples) {
    }
}
