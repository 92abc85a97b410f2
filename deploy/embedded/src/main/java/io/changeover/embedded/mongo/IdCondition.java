package io.changeover.embedded.mongo;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;

/**
 * Finds, in a query, an {@code _id} condition that the {@code _id} index can answer: {@code _id: <value>} or
 * {@code _id: {$in: [<values>]}}, at the top level or inside {@code $and}. Every document the query matches satisfies
 * that condition, so the index lookup is a superset of the result and the whole query can be checked on it alone.
 *
 * <p>mongo-java-server uses its {@code _id} index only when {@code _id} is the query's one field; a query with a
 * second condition (the sink's position guard {@code {_id: x, $or: [...]}}, a read of some ids filtered further)
 * scanned the whole collection.
 *
 * <p>Only plain values are taken: no regular expressions, no nulls (which match a missing {@code _id}), no arrays and
 * no documents with operators, so the lookup never misses a document the matcher would accept.
 */
final class IdCondition {

    private static final String ID = "_id";
    private static final String IN = "$in";
    private static final String AND = "$and";

    private IdCondition() {
    }

    /**
     * @return {@code {_id: <value>}} or {@code {_id: {$in: [...]}}} implied by {@code query}, or null if the query
     *         has no such condition
     */
    static Document impliedBy(Document query) {
        if (query.containsKey(ID)) {
            Document condition = of(query.get(ID));
            if (condition != null) {
                return condition;
            }
        }
        if (query.get(AND) instanceof List<?> clauses) {
            for (Object clause : clauses) {
                if (clause instanceof Document document) {
                    Document condition = impliedBy(document);
                    if (condition != null) {
                        return condition;
                    }
                }
            }
        }
        return null;
    }

    /** Whether {@code query} is nothing but an {@code _id} condition, which mongo-java-server indexes itself. */
    static boolean isOnlyId(Document query) {
        return query.size() == 1 && query.containsKey(ID);
    }

    /**
     * Whether {@code query} is {@code _id: {$in: [...]}} alone and its index lookup finds exactly the documents it
     * matches: every listed id a scalar, compared by the index as by the matcher (not embedded documents, whose
     * field order the matcher may weigh and the index does not). A plain {@code _id: <value>} is not taken: its one
     * document costs one comparison.
     */
    static boolean isExactInOnIndex(Document query) {
        Document condition = isOnlyId(query) ? of(query.get(ID)) : null;
        // a plain id may itself be a document ({_id: {a: 1}}): only an operator document carries $in
        return condition != null && condition.get(ID) instanceof Document operators
            && operators.get(IN) instanceof Collection<?> ids && ids.stream().noneMatch(Document.class::isInstance);
    }

    private static Document of(Object value) {
        if (isPlain(value)) {
            return new Document(ID, value);
        }
        if (value instanceof Document operators && operators.size() == 1
            && operators.get(IN) instanceof Collection<?> values && values.stream().allMatch(IdCondition::isPlain)) {
            return new Document(ID, new Document(IN, values));
        }
        return null;
    }

    private static boolean isPlain(Object value) {
        if (value == null || value instanceof Collection || value instanceof Pattern
            || BsonRegularExpression.isRegularExpression(value)) {
            return false;
        }
        if (value instanceof Document document) {
            return document.keySet().stream().noneMatch(key -> key.startsWith("$"));
        }
        return !(value instanceof Missing);
    }
}
