package io.changeover.transform.step;

import java.util.Optional;

import org.bson.BsonDocument;

import io.changeover.transform.query.BsonConversion;
import io.changeover.transform.query.Filter;

/**
 * {@code drop: <filter>}: the inverse of {@code keep}: documents matching a MongoDB query filter are filtered out
 * (not in the target; deleted there if they were written before). Example: {@code drop: {status: cancelled}}.
 */
public final class DropStep implements Step {
    private final Filter filter;

    public DropStep(Filter filter) {
        this.filter = filter;
    }

    static Step compile(Object arguments) {
        return new DropStep(Filter.compile(BsonConversion.document(
                Arguments.map(arguments, "a MongoDB query filter (a map such as {status: cancelled})"))));
    }

    @Override
    public boolean mayChangeId() {
        return false;
    }

    @Override
    public Optional<BsonDocument> apply(BsonDocument document) {
        return filter.matches(document) ? Optional.empty() : Optional.of(document);
    }
}
