package io.changeover.embedded.mongo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import de.bwaldvogel.mongo.bson.Document;

/**
 * Computes a change event's {@code updateDescription} from a document before and after an update: changed or added
 * fields (as dotted paths into sub-documents, with their new values) and removed fields. Arrays are reported whole
 * when they change, so {@code truncatedArrays} is always empty.
 */
final class UpdateDescriptions {

    private UpdateDescriptions() {
    }

    static Document between(Document before, Document after) {
        Document updated = new Document();
        List<String> removed = new ArrayList<>();
        collect("", before, after, updated, removed);
        return new Document("updatedFields", updated)
            .append("removedFields", removed)
            .append("truncatedArrays", new ArrayList<>());
    }

    private static void collect(String prefix, Map<String, Object> before, Map<String, Object> after,
                                Document updated, List<String> removed) {
        for (Map.Entry<String, Object> field : after.entrySet()) {
            String path = prefix + field.getKey();
            Object old = before.get(field.getKey());
            Object now = field.getValue();
            if (!before.containsKey(field.getKey())) {
                updated.put(path, now);
            } else if (old instanceof Document && now instanceof Document) {
                collect(path + ".", (Document) old, (Document) now, updated, removed);
            } else if (!Objects.equals(old, now) || !sameType(old, now)) {
                updated.put(path, now);
            }
        }
        for (String key : before.keySet()) {
            if (!after.containsKey(key)) {
                removed.add(prefix + key);
            }
        }
    }

    private static boolean sameType(Object a, Object b) {
        return a == null ? b == null : b != null && a.getClass() == b.getClass();
    }
}
