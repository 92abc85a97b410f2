package io.changeover.embedded.mongo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.bson.Document;

/**
 * The stages after {@code $changeStream}, run on each event. {@code $set}/{@code $addFields} stages whose expressions
 * {@link EventExpression} evaluates run here, with MongoDB's semantics (a field is assigned the expression's value,
 * removed when it is missing); runs of other stages go to mongo-java-server's aggregation, as before.
 */
final class EventPipeline {

    private final List<Function<Stream<Document>, Stream<Document>>> segments;

    private EventPipeline(List<Function<Stream<Document>, Stream<Document>>> segments) {
        this.segments = segments;
    }

    /** @param aggregation builds mongo-java-server's aggregation of a run of stages */
    static EventPipeline of(List<Document> stages, Function<List<Document>, Aggregation> aggregation) {
        List<Function<Stream<Document>, Stream<Document>>> segments = new ArrayList<>();
        List<Document> others = new ArrayList<>();
        for (Document stage : stages) {
            Document assignments = assignmentsOf(stage);
            if (assignments == null) {
                others.add(stage);
                continue;
            }
            if (!others.isEmpty()) {
                Aggregation run = aggregation.apply(List.copyOf(others));
                segments.add(run::runStagesAsStream);
                others.clear();
            }
            segments.add(events -> events.map(event -> assign(event, assignments)));
        }
        if (!others.isEmpty()) {
            Aggregation run = aggregation.apply(List.copyOf(others));
            segments.add(run::runStagesAsStream);
        }
        return new EventPipeline(segments);
    }

    /** The events the pipeline makes of {@code event}: none if a stage filtered it out. */
    List<Document> apply(Document event) {
        Stream<Document> events = Stream.of(event);
        for (Function<Stream<Document>, Stream<Document>> segment : segments) {
            events = segment.apply(events);
        }
        try (Stream<Document> out = events) {
            return out.toList();
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
            if (field.getKey().contains(".") || field.getKey().startsWith("$")
                || !EventExpression.supports(field.getValue())) {
                return null;
            }
        }
        return assignments;
    }

    private static Document assign(Document event, Document assignments) {
        Document result = new Document(event);
        for (Map.Entry<String, Object> field : assignments.entrySet()) {
            Object value = EventExpression.evaluate(field.getValue(), event);
            if (value instanceof Missing) {
                result.remove(field.getKey());
            } else {
                result.put(field.getKey(), value);
            }
        }
        return result;
    }
}
