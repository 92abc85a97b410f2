package io.changeover.transform.step;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.bson.BsonDocument;

import io.changeover.transform.query.DocumentPath;

/**
 * {@code convert: {<path>: <type>, ...}}: converts values to {@code string int long double decimal date objectId
 * uuid} or a list of documents to {@code csv} text. Paths go through arrays ({@code items.qty} converts the qty of
 * every item) and an array at the end of the path is converted element by element (except for {@code csv}, which
 * takes the whole list). Missing fields stay missing, null stays null; a value that cannot be converted is a data
 * error. Example: {@code convert: {price: decimal, "items.qty": int, created: date}}.
 */
public final class ConvertStep implements Step {
    private final Map<DocumentPath, ValueConversion> conversions;

    private ConvertStep(Map<DocumentPath, ValueConversion> conversions) {
        this.conversions = conversions;
    }

    static Step compile(Object arguments) {
        Map<String, Object> map = Arguments.map(arguments, "a map of field paths to types {path: "
                + ValueConversion.spellings().replace(", ", "|") + "}");
        Map<DocumentPath, ValueConversion> conversions = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : map.entrySet()) {
            conversions.put(DocumentPath.parse(e.getKey()),
                    ValueConversion.named(Arguments.string(e.getValue(), "the type to convert '" + e.getKey() + "' to")));
        }
        return new ConvertStep(conversions);
    }

    @Override
    public boolean mayChangeId() {
        return conversions.keySet().stream().anyMatch(DocumentPath::touchesId);
    }

    @Override
    public Optional<BsonDocument> apply(BsonDocument document) {
        BsonDocument current = document;
        for (Map.Entry<DocumentPath, ValueConversion> e : conversions.entrySet()) {
            ValueConversion conversion = e.getValue();
            current = PathValues.rewrite(current, e.getKey(), conversion != ValueConversion.CSV, conversion::convert);
        }
        return Optional.of(current);
    }
}
