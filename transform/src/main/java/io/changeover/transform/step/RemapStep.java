package io.changeover.transform.step;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonValue;

import io.changeover.transform.query.DocumentPath;

/**
 * {@code remap: {field: <path>, from: <source collection>, missing: keep|null|drop|dead-letter, wait: <seconds>}}:
 * rewrites references to documents of another source collection from their old (source) ids to the target ids those
 * documents got (after their own {@code rehash-id} or {@code rename} to {@code _id}), through an {@link IdResolver}.
 * The path may go through arrays, and an array at its end has each element remapped. A referenced document that has
 * no target document (deleted, filtered out, never seen) gets the {@code missing} policy: {@code keep} the old id
 * (default), {@code null}, {@code drop} the reference (the field, or the array element), or {@code dead-letter} the
 * whole document. While streaming, a reference not known yet waits until every raw partition of the referenced
 * collection has passed the referring change (ticks; the document was then never written) or at most {@code wait}
 * seconds of source time (default 300), then the policy applies.
 */
public final class RemapStep implements Step {
    private static final Set<String> ARGUMENTS = Set.of("field", "from", "missing", "wait");
    private final DocumentPath field;
    private final String from;
    private final MissingPolicy missing;
    private final long waitSeconds;

    /** What a reference to a document without a target becomes. */
    public enum MissingPolicy { KEEP, NULL, DROP, DEAD_LETTER }

    private RemapStep(DocumentPath field, String from, MissingPolicy missing, long waitSeconds) {
        this.field = field;
        this.from = from;
        this.missing = missing;
        this.waitSeconds = waitSeconds;
    }

    static Step compile(Object arguments) {
        Map<String, Object> map = Arguments.map(arguments,
                "{field: <path>, from: <source collection>, missing: keep|null|drop|dead-letter, wait: <seconds>}");
        Arguments.onlyKeys(map, ARGUMENTS, "remap");
        DocumentPath field = DocumentPath.parse(Arguments.string(map.get("field"), "'field', the path of the reference"));
        String from = Arguments.string(map.get("from"), "'from', the source collection the references point into");
        MissingPolicy missing = MissingPolicy.KEEP;
        if (map.containsKey("missing")) {
            String name = Arguments.string(map.get("missing"), "'missing': keep, null, drop or dead-letter");
            missing = switch (name) {
                case "keep" -> MissingPolicy.KEEP;
                case "null" -> MissingPolicy.NULL;
                case "drop" -> MissingPolicy.DROP;
                case "dead-letter" -> MissingPolicy.DEAD_LETTER;
                default -> throw new IllegalArgumentException("unknown 'missing' policy '" + name
                        + "'; expected keep, null, drop or dead-letter");
            };
        }
        long wait = 300;
        if (map.containsKey("wait")) {
            if (!(map.get("wait") instanceof Integer || map.get("wait") instanceof Long) || ((Number) map.get("wait")).longValue() < 0) {
                throw new IllegalArgumentException("expected 'wait', seconds of source time (a whole number >= 0), got "
                        + Arguments.describe(map.get("wait")));
            }
            wait = ((Number) map.get("wait")).longValue();
        }
        return new RemapStep(field, from, missing, wait);
    }

    /** The source collection the references point into. */
    public String from() {
        return from;
    }

    /** How long, in seconds of source time, a streamed reference waits for its document's mapping. */
    public long waitSeconds() {
        return waitSeconds;
    }

    @Override
    public boolean mayChangeId() {
        return field.touchesId();
    }

    @Override
    public Optional<BsonDocument> apply(BsonDocument document) {
        return apply(document, IdResolver.NONE);
    }

    @Override
    public Optional<BsonDocument> apply(BsonDocument document, IdResolver ids) {
        return Optional.of(PathValues.rewrite(document, field, true, reference -> remap(reference, ids)));
    }

    private BsonValue remap(BsonValue reference, IdResolver ids) {
        if (reference.isNull()) {
            return reference;
        }
        Resolution resolution = ids.resolve(from, reference);
        return switch (resolution.state()) {
            case FOUND -> resolution.targetId();
            case PENDING -> reference;
            case MISSING -> switch (missing) {
                case KEEP -> reference;
                case NULL -> BsonNull.VALUE;
                case DROP -> null;
                case DEAD_LETTER -> throw new IllegalArgumentException("'" + field + "' refers to " + from + " "
                        + new BsonDocument("_id", reference).toJson() + ", which has no target document");
            };
        };
    }
}
