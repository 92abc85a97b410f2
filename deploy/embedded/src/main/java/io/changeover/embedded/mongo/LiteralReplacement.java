package io.changeover.embedded.mongo;

import java.util.List;
import java.util.Map;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;

/**
 * A replacement document to be stored exactly as given, field names included: what MongoDB 5.0 stores for a
 * replacement with dotted top-level names ({@code "a.b"}), and for the update pipeline
 * {@code [{$replaceWith: {$literal: <doc>}}]} (or {@code $replaceRoot: {newRoot: {$literal: <doc>}}}), the one way to
 * write top-level names that start with {@code $}. mongo-java-server refuses both, so the update statement's
 * {@code u} is rewritten to {@code {<marker>: <doc>}} before it reaches the collection, and
 * {@link RecordingCollection} replaces such documents itself.
 */
final class LiteralReplacement {

    /** A replacement statement's document: its change event is a {@code replace}, as on MongoDB. */
    private static final String REPLACEMENT = "$changeoverLiteralReplacement";
    /** A pipeline's literal: MongoDB logs a pipeline update as an {@code update} with the fields it changed. */
    private static final String PIPELINE = "$changeoverLiteralPipeline";
    private static final int FAILED_TO_PARSE = 9;

    private LiteralReplacement() {
    }

    /**
     * The update statement's {@code u} as the collection should apply it: a pipeline that replaces the document with
     * a literal, and a replacement with a dotted top-level name, become a literal replacement; everything else is
     * returned as it is. Other pipelines are refused, naming what this server supports.
     */
    static Object rewrite(Object update) {
        if (update instanceof List<?> pipeline) {
            return new Document(PIPELINE, fromPipeline(pipeline));
        }
        if (update instanceof Document document && ChangeRecorder.isReplacement(document) && hasDottedName(document)) {
            return new Document(REPLACEMENT, document);
        }
        return update;
    }

    /** The document to store if {@code update} is a literal replacement (statement or pipeline), else null. */
    static Document documentOf(Object update) {
        if (update instanceof Document document && document.size() == 1) {
            Object literal = document.containsKey(REPLACEMENT) ? document.get(REPLACEMENT) : document.get(PIPELINE);
            return literal instanceof Document stored ? stored : null;
        }
        return null;
    }

    /** Whether {@code update} is a replacement statement with a literal document (not a pipeline). */
    static boolean isReplacementStatement(Object update) {
        return update instanceof Document document && document.size() == 1
            && document.get(REPLACEMENT) instanceof Document;
    }

    private static Document fromPipeline(List<?> pipeline) {
        Document literal = pipeline.size() == 1 && pipeline.get(0) instanceof Document stage ? literalOf(stage) : null;
        if (literal == null) {
            throw new MongoServerError(FAILED_TO_PARSE, "FailedToParse", "Changeover's embedded MongoDB supports one "
                + "update pipeline only, [{$replaceWith: {$literal: <document>}}] (or $replaceRoot with newRoot "
                + "{$literal: <document>}); got " + pipeline);
        }
        return literal;
    }

    private static Document literalOf(Document stage) {
        Object root = stage.size() != 1 ? null : stage.containsKey("$replaceWith") ? stage.get("$replaceWith")
            : stage.get("$replaceRoot") instanceof Document replaceRoot ? replaceRoot.get("newRoot") : null;
        if (root instanceof Document expression && expression.size() == 1
            && expression.get("$literal") instanceof Document literal) {
            return literal;
        }
        return null;
    }

    private static boolean hasDottedName(Document document) {
        for (Map.Entry<String, Object> field : document.entrySet()) {
            if (field.getKey().contains(".")) {
                return true;
            }
        }
        return false;
    }
}
