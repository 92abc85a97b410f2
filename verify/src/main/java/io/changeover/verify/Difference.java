package io.changeover.verify;

import java.util.List;

import org.bson.BsonValue;

/**
 * One document that is not what it should be in the target.
 *
 * @param kind   missing from the target, extra in the target, or different
 * @param id     the target {@code _id}
 * @param fields for {@link Kind#DIFFERENT}, the dotted paths that differ
 */
public record Difference(Kind kind, BsonValue id, List<String> fields) {
    public enum Kind { MISSING, EXTRA, DIFFERENT }

    public String describe() {
        String base = kind.name().toLowerCase() + " " + id;
        return kind == Kind.DIFFERENT ? base + " fields " + fields : base;
    }
}
