package io.changeover.verify;

import java.util.List;

import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * One thing that is not what it should be in the target.
 *
 * @param kind   what is wrong
 * @param id     the target {@code _id} of the document concerned
 * @param fields for {@link Kind#DIFFERENT}, the dotted paths that differ; for a reference or blob, its path
 * @param detail for references and blobs: the referenced id or object; empty otherwise
 */
public record Difference(Kind kind, BsonValue id, List<String> fields, String detail) {
    /** The kinds of difference, each counted in the report. */
    public enum Kind { MISSING, EXTRA, DIFFERENT, DANGLING, BLOB_MISSING, BLOB_ALTERED }

    public Difference {
        fields = List.copyOf(fields);
        detail = detail == null ? "" : detail;
    }

    public Difference(Kind kind, BsonValue id, List<String> fields) {
        this(kind, id, fields, "");
    }

    public String describe() {
        String base = kind.name().toLowerCase().replace('_', ' ') + " " + new BsonDocument("_id", id).toJson();
        return switch (kind) {
            case DIFFERENT -> base + " fields " + fields;
            case DANGLING, BLOB_MISSING, BLOB_ALTERED -> base + " at " + fields + ": " + detail;
            default -> base;
        };
    }
}
