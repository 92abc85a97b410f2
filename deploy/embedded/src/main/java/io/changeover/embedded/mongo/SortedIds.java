package io.changeover.embedded.mongo;

import java.util.Collection;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;

/**
 * A collection's {@code _id}s in sort order ({@link ValueComparator}, as a sort on {@code _id} orders them), each
 * with the storage position of its document. Paging by {@code _id} ({@code find({_id: {$gt: last}}).sort({_id: 1})
 * .limit(n)}, as copy scripts, the bench's baselines and the verifier's ranges read) otherwise scans and sorts the
 * whole collection for every page; walked from the range's bound, a page reads about as many documents as it
 * returns.
 *
 * <p>Not thread-safe: used under the collection's monitor, like its documents.
 */
final class SortedIds {

    private static final String ID = "_id";
    private static final Set<String> RANGE_OPERATORS = Set.of("$gt", "$gte", "$lt", "$lte");

    private final TreeMap<Object, Integer> positions = new TreeMap<>(ValueComparator.asc());
    /** False once two ids compared equal (never for a unique {@code _id} index): the order is then not known. */
    private boolean usable = true;

    void add(Object id, int position) {
        if (id == null || positions.putIfAbsent(id, position) != null) {
            usable = false;
        }
    }

    void remove(Object id) {
        if (id != null) {
            positions.remove(id);
        }
    }

    /**
     * The positions, in the order of {@code orderBy}, of the documents whose {@code _id} is within the range
     * {@code query} puts on it (all of them if it puts none), or null if this query cannot be answered by walking
     * the {@code _id}s: a sort other than {@code {_id: 1}} or {@code {_id: -1}}, or an {@code _id} condition other
     * than plain {@code $gt}, {@code $gte}, {@code $lt}, {@code $lte} bounds. A superset of the matches: the caller
     * still checks the whole query on each document.
     */
    Iterable<Integer> walk(Document query, Document orderBy) {
        if (!usable || orderBy == null || orderBy.size() != 1 || !(orderBy.get(ID) instanceof Number direction)) {
            return null;
        }
        NavigableMap<Object, Integer> range = within(query.get(ID));
        if (range == null) {
            return null;
        }
        return direction.intValue() < 0 ? range.descendingMap().values() : range.values();
    }

    private NavigableMap<Object, Integer> within(Object condition) {
        if (condition == null) {
            return positions;
        }
        if (!(condition instanceof Document bounds) || bounds.isEmpty()
            || !RANGE_OPERATORS.containsAll(bounds.keySet()) || !bounds.values().stream().allMatch(SortedIds::isPlain)) {
            return null;
        }
        NavigableMap<Object, Integer> range = positions;
        for (String operator : bounds.keySet()) {
            Object bound = bounds.get(operator);
            try {
                range = switch (operator) {
                    case "$gt" -> range.tailMap(bound, false);
                    case "$gte" -> range.tailMap(bound, true);
                    case "$lt" -> range.headMap(bound, false);
                    default -> range.headMap(bound, true);
                };
            } catch (IllegalArgumentException outsideTheOtherBound) {
                return Collections.emptyNavigableMap(); // e.g. {$gte: 10, $lt: 5}: no _id is in both
            }
        }
        return range;
    }

    /** A bound the matcher compares as the sort does: no documents, arrays, nulls or patterns. */
    private static boolean isPlain(Object value) {
        return value != null && !(value instanceof Document) && !(value instanceof Collection)
            && !(value instanceof Pattern) && !(value instanceof Missing)
            && !BsonRegularExpression.isRegularExpression(value);
    }
}
