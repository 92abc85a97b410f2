package io.changeover.embedded.mongo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;

/**
 * {@code $set} and {@code $unset} applied to a copy of a document, for documents with top-level names that
 * mongo-java-server's own update refuses (dots, a leading {@code $}) although MongoDB 5.0 updates them: only the
 * paths the update names are touched, every other field stays as stored, in its place.
 */
final class SetUnset {

    private static final Set<String> OPERATORS = Set.of("$set", "$unset");
    private static final int CONFLICTING_UPDATE_OPERATORS = 40;

    private SetUnset() {
    }

    /** Whether the update has only {@code $set}/{@code $unset}, with plain paths. */
    static boolean isOnly(Document update) {
        if (update.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, Object> operator : update.entrySet()) {
            if (!OPERATORS.contains(operator.getKey()) || !(operator.getValue() instanceof Document fields)) {
                return false;
            }
            if (fields.keySet().stream().anyMatch(path -> path.startsWith("$") || path.contains(".$"))) {
                return false;
            }
        }
        return true;
    }

    private static void refuseConflicts(Document update) {
        List<String> paths = new ArrayList<>();
        for (Object fields : update.values()) {
            paths.addAll(((Document) fields).keySet());
        }
        for (int i = 0; i < paths.size(); i++) {
            for (int j = i + 1; j < paths.size(); j++) {
                String a = paths.get(i);
                String b = paths.get(j);
                if (a.equals(b) || a.startsWith(b + ".") || b.startsWith(a + ".")) {
                    throw new MongoServerError(CONFLICTING_UPDATE_OPERATORS, "ConflictingUpdateOperators",
                        "Updating the path '" + b + "' would create a conflict at '" + a + "'");
                }
            }
        }
    }

    /** Whether a top-level name has a dot or a leading {@code $}. */
    static boolean hasSpecialNames(Document document) {
        for (String name : document.keySet()) {
            if (name.startsWith("$") || name.contains(".")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The document after the update; {@code stored} is not changed. Two paths where one is the other or lies inside
     * it are refused (ConflictingUpdateOperators), as by MongoDB.
     */
    static Document apply(Document stored, Document update) {
        refuseConflicts(update);
        Document result = stored.cloneDeeply();
        Object set = update.get("$set");
        if (set instanceof Document fields) {
            fields.forEach((path, value) -> Utils.changeSubdocumentValue(result, path, value));
        }
        Object unset = update.get("$unset");
        if (unset instanceof Document fields) {
            fields.keySet().forEach(path -> Utils.removeSubdocumentValue(result, path));
        }
        return result;
    }
}
