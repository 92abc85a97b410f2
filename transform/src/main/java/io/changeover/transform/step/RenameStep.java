package io.changeover.transform.step;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import io.changeover.transform.query.DocumentPath;

/**
 * {@code rename: {from: to, ...}}: moves fields, in the order written, on dotted paths. A missing field is left
 * missing; an existing target is overwritten. Example: {@code rename: {job_type: type, "input_data.seq": "input_data.sequence"}}.
 */
public final class RenameStep implements Step {
    private final List<Move> moves;

    private RenameStep(List<Move> moves) {
        this.moves = List.copyOf(moves);
    }

    private record Move(DocumentPath from, DocumentPath to) {
    }

    static Step compile(Object arguments) {
        Map<String, Object> map = Arguments.map(arguments, "a map of field paths {from: to}");
        List<Move> moves = new ArrayList<>();
        for (Map.Entry<String, Object> e : map.entrySet()) {
            DocumentPath from = DocumentPath.parse(e.getKey());
            DocumentPath to = DocumentPath.parse(Arguments.string(e.getValue(), "the new path of '" + e.getKey() + "'"));
            if (from.covers(to) || to.covers(from)) {
                throw new IllegalArgumentException("cannot rename '" + from + "' to '" + to + "': one contains the other");
            }
            if (from.toString().equals("_id")) {
                throw new IllegalArgumentException("cannot rename '_id': the target document needs an _id");
            }
            moves.add(new Move(from, to));
        }
        return new RenameStep(moves);
    }

    @Override
    public boolean mayChangeId() {
        return moves.stream().anyMatch(m -> m.from().touchesId() || m.to().touchesId());
    }

    @Override
    public Optional<BsonDocument> apply(BsonDocument document) {
        BsonDocument current = document;
        for (Move move : moves) {
            Optional<BsonValue> value = move.from().get(current);
            if (value.isPresent()) {
                current = move.to().with(move.from().without(current), value.get());
            }
        }
        return Optional.of(current);
    }
}
