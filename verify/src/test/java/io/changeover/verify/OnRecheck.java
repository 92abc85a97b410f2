package io.changeover.verify;

import java.util.List;
import java.util.Set;

import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * A real expectation that runs a source change once, when the verifier reads source documents again after the first
 * check (for a collection that fits one batch, the first check reads it in one call): a change the source went through
 * while the pipeline had already applied it.
 */
final class OnRecheck implements ExpectedTarget {
    private final ExpectedTarget delegate;
    private Runnable change;
    private boolean firstCheckRead;

    OnRecheck(ExpectedTarget delegate, Runnable change) {
        this.delegate = delegate;
        this.change = change;
    }

    @Override
    public String sourceCollection() {
        return delegate.sourceCollection();
    }

    @Override
    public List<String> targets() {
        return delegate.targets();
    }

    @Override
    public List<Expectation> of(List<BsonDocument> sources) {
        if (!firstCheckRead) {
            firstCheckRead = true;
        } else if (change != null) {
            change.run();
            change = null;
        }
        return delegate.of(sources);
    }

    @Override
    public BsonDocument combine(List<Candidate> candidates) {
        return delegate.combine(candidates);
    }

    @Override
    public List<ReferenceRule> references() {
        return delegate.references();
    }

    @Override
    public Set<BsonValue> sourceIdsNamedBy(BsonDocument targetDocument) {
        return delegate.sourceIdsNamedBy(targetDocument);
    }
}
