package io.changeover.transform.step;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.bson.BsonDocument;

import io.changeover.transform.query.DocumentPath;

/**
 * {@code dedupe: {policy: keep-first|keep-latest|merge|dead-letter, by: <path>}}: declares what the target holds when
 * several source documents map to one target id ({@link DedupePolicy}). It does not change documents: the topology
 * combines the candidates of a target id after the collection's steps. At most one per collection.
 */
public final class DedupeStep implements Step {
    private static final Set<String> ARGUMENTS = Set.of("policy", "by");
    private final DedupePolicy policy;

    private DedupeStep(DedupePolicy policy) {
        this.policy = policy;
    }

    static Step compile(Object arguments) {
        Map<String, Object> map = Arguments.map(arguments, "{policy: keep-first|keep-latest|merge|dead-letter, by: <path>}");
        Arguments.onlyKeys(map, ARGUMENTS, "dedupe");
        String name = Arguments.string(map.get("policy"), "'policy': keep-first, keep-latest, merge or dead-letter");
        DedupePolicy.Kind kind = switch (name) {
            case "keep-first" -> DedupePolicy.Kind.KEEP_FIRST;
            case "keep-latest" -> DedupePolicy.Kind.KEEP_LATEST;
            case "merge" -> DedupePolicy.Kind.MERGE;
            case "dead-letter" -> DedupePolicy.Kind.DEAD_LETTER;
            default -> throw new IllegalArgumentException("unknown dedupe policy '" + name
                    + "'; expected keep-first, keep-latest, merge or dead-letter");
        };
        DocumentPath by = null;
        if (kind == DedupePolicy.Kind.KEEP_LATEST) {
            by = DocumentPath.parse(Arguments.string(map.get("by"), "'by', the field whose largest value wins"));
        } else if (map.containsKey("by")) {
            throw new IllegalArgumentException("'by' goes only with policy keep-latest");
        }
        return new DedupeStep(new DedupePolicy(kind, by));
    }

    public DedupePolicy policy() {
        return policy;
    }

    @Override
    public boolean mayChangeId() {
        return false;
    }

    @Override
    public Optional<BsonDocument> apply(BsonDocument document) {
        return Optional.of(document);
    }
}
