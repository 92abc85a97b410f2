package io.changeover.transform.step;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.bson.BsonDocument;

import io.changeover.transform.query.DocumentPath;

/**
 * {@code unset: [path, ...]} (or a single path): removes fields; missing ones are ignored. An array element named by
 * index becomes null, as in MongoDB. Example: {@code unset: [legacy_flag, "input_data.tmp"]}.
 */
public final class UnsetStep implements Step {
    private final List<DocumentPath> paths;

    private UnsetStep(List<DocumentPath> paths) {
        this.paths = List.copyOf(paths);
    }

    static Step compile(Object arguments) {
        List<?> names = arguments instanceof String ? List.of(arguments) : Arguments.list(arguments, "field paths to remove");
        List<DocumentPath> paths = new ArrayList<>();
        for (Object name : names) {
            DocumentPath path = DocumentPath.parse(Arguments.string(name, "a field path"));
            if (path.toString().equals("_id")) {
                throw new IllegalArgumentException("cannot unset '_id': the target document needs an _id");
            }
            paths.add(path);
        }
        return new UnsetStep(paths);
    }

    @Override
    public boolean mayChangeId() {
        return paths.stream().anyMatch(DocumentPath::touchesId);
    }

    @Override
    public Optional<BsonDocument> apply(BsonDocument document) {
        BsonDocument current = document;
        for (DocumentPath path : paths) {
            current = path.without(current);
        }
        return Optional.of(current);
    }
}
