package io.changeover.transform.step;

import java.util.Objects;

import org.bson.BsonValue;

/**
 * What an {@link IdResolver} knows about one referenced source document: its target id ({@link #found}), that it has
 * no target document ({@link #MISSING}: deleted, filtered out or absent from the source), or, only while streaming,
 * that its mapping has not arrived yet ({@link #PENDING}).
 */
public record Resolution(State state, BsonValue targetId) {
    public static final Resolution MISSING = new Resolution(State.MISSING, null);
    public static final Resolution PENDING = new Resolution(State.PENDING, null);

    /** The three answers. */
    public enum State { FOUND, MISSING, PENDING }

    public Resolution {
        Objects.requireNonNull(state, "state");
        if ((state == State.FOUND) != (targetId != null)) {
            throw new IllegalArgumentException("a target id goes with FOUND and only with FOUND");
        }
    }

    public static Resolution found(BsonValue targetId) {
        return new Resolution(State.FOUND, Objects.requireNonNull(targetId, "targetId"));
    }
}
