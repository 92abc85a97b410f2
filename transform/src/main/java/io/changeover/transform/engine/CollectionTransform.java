package io.changeover.transform.engine;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import io.changeover.transform.step.Step;

/**
 * The compiled steps of one source collection: a pure function from a source document to a {@link TransformResult}.
 * Used by the streaming topology and, without Kafka, by the verifier and the demo to compute the expected target.
 * Thread-safe; never mutates its input, and the result shares nothing with it.
 */
public final class CollectionTransform {
    private final String source;
    private final String target;
    private final List<NamedStep> steps;

    /** A compiled step and its label for errors ({@code step 2 (rename)}). */
    record NamedStep(String label, Step step) {
    }

    CollectionTransform(String source, String target, List<NamedStep> steps) {
        this.source = source;
        this.target = target;
        this.steps = List.copyOf(steps);
    }

    /** The source collection name. */
    public String source() {
        return source;
    }

    /** The target collection name. */
    public String target() {
        return target;
    }

    /**
     * Applies the steps in order. Throws {@link TransformException} naming the step when a step fails or the target
     * document has no {@code _id}.
     */
    public TransformResult apply(BsonDocument sourceDocument) {
        Objects.requireNonNull(sourceDocument, "sourceDocument");
        BsonDocument current = sourceDocument.clone();
        for (NamedStep named : steps) {
            Optional<BsonDocument> next = applyStep(named, current);
            if (next.isEmpty()) {
                return TransformResult.filteredOut(named.label());
            }
            current = next.get();
        }
        requireId(current);
        return TransformResult.of(current);
    }

    private Optional<BsonDocument> applyStep(NamedStep named, BsonDocument document) {
        try {
            return Objects.requireNonNull(named.step().apply(document), "step returned null");
        } catch (RuntimeException e) {
            throw new TransformException(source, named.label(), String.valueOf(e.getMessage()), e);
        }
    }

    private void requireId(BsonDocument document) {
        BsonValue id = document.get("_id");
        if (id == null) {
            throw new TransformException(source, "target _id", "the target document has no _id", null);
        }
        if (id.isArray() || id.isRegularExpression()) {
            throw new TransformException(source, "target _id", "the target _id cannot be " + id.getBsonType(), null);
        }
    }
}
