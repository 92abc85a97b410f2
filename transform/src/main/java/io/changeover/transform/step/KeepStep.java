package io.changeover.transform.step;

import java.util.Optional;

import org.bson.BsonDocument;

import io.changeover.transform.query.BsonConversion;
import io.changeover.transform.query.Filter;

/**
 * {@code keep: <filter>}: keeps documents matching a MongoDB query filter; the others are filtered out (not in the
 * target). Example: {@code keep: {status: completed, attempts: {$lt: 3}}}.
 */
public final class KeepStep implements Step {
    private final Filter filter;

    public KeepStep(Filter filter) {
        this.filter = filter;
    }

    static Step compile(Object arguments) {
        return new KeepStep(Filter.compile(BsonConversion.document(
                Arguments.map(arguments, "a MongoDB query filter (a map such as {status: completed})"))));
    }

    @Override
    public boolean mayChangeId() {
        return false;
    }

    @Override
    public Optional<BsonDocument> apply(BsonDocument document) {
        return filter.matches(document) ? Optional.of(document) : Optional.empty();
    }
}
