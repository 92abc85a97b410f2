package io.changeover.embedded.mongo;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;

/**
 * The stages after {@code $changeStream}, run on each event. {@code $set}/{@code $addFields} stages whose expressions
 * {@link EventExpression} evaluates (operator expressions, field paths, constants) run here, with MongoDB's semantics
 * (a field is assigned the expression's value, removed when it is missing), and so do {@code $replaceRoot} and
 * {@code $replaceWith} stages it evaluates; runs of other stages, and fields given as object literals (which add to an
 * embedded document), go to mongo-java-server's aggregation, as before.
 */
final class EventPipeline {

    /** One run of stages. */
    private interface Segment {
        Stream<Document> apply(Stream<Document> events, EventExpression.KnownSize known);
    }

    private final List<Segment> segments;
    /** The operation types the first stage lets through, or null if any may pass. */
    private final Set<String> operationTypes;

    private EventPipeline(List<Segment> segments, Set<String> operationTypes) {
        this.segments = segments;
        this.operationTypes = operationTypes;
    }

    /** @param aggregation builds mongo-java-server's aggregation of a run of stages */
    static EventPipeline of(List<Document> stages, Function<List<Document>, Aggregation> aggregation) {
        List<Segment> segments = new ArrayList<>();
        List<Document> others = new ArrayList<>();
        for (Document stage : stages) {
            Document assignments = assignmentsOf(stage);
            Object newRoot = newRootOf(stage);
            if (assignments != null) {
                flush(others, aggregation, segments);
                segments.add((events, known) -> events.map(event -> assign(event, assignments, known)));
            } else if (newRoot != null) {
                flush(others, aggregation, segments);
                segments.add((events, known) -> events.map(event -> replaceRoot(event, newRoot, known)));
            } else {
                others.add(stage);
            }
        }
        flush(others, aggregation, segments);
        Object first = stages.isEmpty() ? null : stages.get(0).get("$match");
        return new EventPipeline(segments, first instanceof Document match ? operationTypesOf(match) : null);
    }

    /**
     * Whether an entry of this operation type may yield an event: false when the first stage is a {@code $match} that
     * accepts other operation types only. As MongoDB moves such filters down to the oplog, the event is then not
     * built at all (a stream watching for drops and renames no longer decodes every write's document).
     */
    boolean mayPass(String operationType) {
        return operationTypes == null || operationTypes.contains(operationType);
    }

    /**
     * The operation types a {@code $match} can accept, from its {@code operationType} condition (a value, {@code $eq}
     * or {@code $in}) or, failing that, the union over its {@code $or} branches; null when it does not say.
     */
    static Set<String> operationTypesOf(Document match) {
        Set<String> direct = operationTypesOf(match.get("operationType"));
        if (direct != null) {
            return direct;
        }
        if (match.get("$and") instanceof List<?> all) {
            for (Object branch : all) {   // every branch must hold: any one bounds the whole
                Set<String> bound = branch instanceof Document document ? operationTypesOf(document) : null;
                if (bound != null) {
                    return bound;
                }
            }
        }
        if (match.get("$or") instanceof List<?> any) {
            Set<String> union = new HashSet<>();
            for (Object branch : any) {
                Set<String> bound = branch instanceof Document document ? operationTypesOf(document) : null;
                if (bound == null) {
                    return null;
                }
                union.addAll(bound);
            }
            return union;
        }
        return null;
    }

    private static Set<String> operationTypesOf(Object condition) {
        if (condition instanceof String type) {
            return Set.of(type);
        }
        if (condition instanceof Document operators && operators.size() == 1) {
            Object eq = operators.get("$eq");
            if (eq instanceof String type) {
                return Set.of(type);
            }
            if (operators.get("$in") instanceof List<?> types && types.stream().allMatch(String.class::isInstance)) {
                return new HashSet<>(types.stream().map(String.class::cast).toList());
            }
        }
        return null;
    }

    /** The events the pipeline makes of an event: none if a stage filtered it out. */
    List<Document> apply(ChangeEvents.Sized sized) {
        Object fullDocument = sized.event().get(OplogEntry.FULL_DOCUMENT);
        EventExpression.KnownSize known = new EventExpression.KnownSize(fullDocument, sized.fullDocumentBytes());
        Stream<Document> events = Stream.of(sized.event());
        for (Segment segment : segments) {
            events = segment.apply(events, known);
        }
        try (Stream<Document> out = events) {
            return out.toList();
        }
    }

    private static void flush(List<Document> others, Function<List<Document>, Aggregation> aggregation,
                              List<Segment> segments) {
        if (!others.isEmpty()) {
            Aggregation run = aggregation.apply(List.copyOf(others));
            segments.add((events, known) -> run.runStagesAsStream(events));
            others.clear();
        }
    }

    /** The fields a {@code $set}/{@code $addFields} stage assigns, if this class evaluates them all; else null. */
    private static Document assignmentsOf(Document stage) {
        if (stage.size() != 1) {
            return null;
        }
        Object spec = stage.containsKey("$set") ? stage.get("$set") : stage.get("$addFields");
        if (!(spec instanceof Document assignments) || assignments.isEmpty()) {
            return null;
        }
        for (Map.Entry<String, Object> field : assignments.entrySet()) {
            if (field.getKey().contains(".") || field.getKey().startsWith("$") || isObjectLiteral(field.getValue())
                || !EventExpression.supports(field.getValue())) {
                return null;
            }
        }
        return assignments;
    }

    /**
     * The new root of a {@code $replaceRoot}/{@code $replaceWith} stage this class evaluates, else null.
     * mongo-java-server evaluates the fields of a document result again, so a document with a {@code $}-prefixed
     * name (as Debezium's {@code $replaceRoot: {newRoot: {..., event: "$$ROOT"}}} wraps every event) failed with
     * "An object representing an expression must have exactly one field".
     */
    private static Object newRootOf(Document stage) {
        if (stage.size() != 1) {
            return null;
        }
        Object newRoot = stage.containsKey("$replaceWith") ? stage.get("$replaceWith")
            : stage.get("$replaceRoot") instanceof Document replaceRoot ? replaceRoot.get("newRoot") : null;
        return newRoot != null && EventExpression.supports(newRoot) ? newRoot : null;
    }

    private static Document replaceRoot(Document event, Object newRoot, EventExpression.KnownSize known) {
        Object root = EventExpression.evaluate(newRoot, event, known);
        if (!(root instanceof Document document)) {
            throw new MongoServerError(40228, "'newRoot' expression must evaluate to an object, but resulting value "
                + "was: " + root);
        }
        return document;
    }

    /**
     * A stage's field given as an object literal adds fields to an embedded document of that name rather than
     * replacing it (MongoDB's {@code $addFields} semantics, which mongo-java-server has): left to it.
     */
    private static boolean isObjectLiteral(Object value) {
        return value instanceof Document document
            && (document.size() != 1 || !document.keySet().iterator().next().startsWith("$"));
    }

    private static Document assign(Document event, Document assignments, EventExpression.KnownSize known) {
        Document result = new Document(event);
        for (Map.Entry<String, Object> field : assignments.entrySet()) {
            Object value = EventExpression.evaluate(field.getValue(), event, known);
            if (value instanceof Missing) {
                result.remove(field.getKey());
            } else {
                result.put(field.getKey(), value);
            }
        }
        return result;
    }
}
