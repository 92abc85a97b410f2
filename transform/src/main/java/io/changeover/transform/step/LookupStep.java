package io.changeover.transform.step;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import io.changeover.transform.query.BsonConversion;
import io.changeover.transform.query.DocumentPath;

/**
 * {@code lookup: {from: <side collection>, copy: {<path here>: <path in the side document>, ...}, when:
 * missing|always}}: fills fields from the document of a side collection that has this document's {@code _id} (for
 * instance an old copy of the same document, captured from the side collection like any other). {@code when:
 * missing} (default) fills only fields this document lacks or holds null, so it recovers lost data and keeps what is
 * there; {@code always} overwrites. No side document, or a side field that is missing, leaves the document as it is;
 * when the side document arrives or changes later, the streaming topology transforms the document again. Matched by
 * the document's {@code _id} at this step: put it before steps that change {@code _id}. Example: {@code lookup: {from:
 * jobs_archive, copy: {"result.matrix": "matrix"}}}.
 */
public final class LookupStep implements Step {
    private static final Set<String> ARGUMENTS = Set.of("from", "copy", "when");

    private final String from;
    private final Map<DocumentPath, DocumentPath> copy;
    private final boolean always;

    private LookupStep(String from, Map<DocumentPath, DocumentPath> copy, boolean always) {
        this.from = from;
        this.copy = copy;
        this.always = always;
    }

    static Step compile(Object arguments) {
        Map<String, Object> map = Arguments.map(arguments, "{from: <side collection>, copy: {<path>: <side path>}}");
        Arguments.onlyKeys(map, ARGUMENTS, "lookup");
        String from = Arguments.string(map.get("from"), "'from', the side collection");
        Map<String, Object> pairs = Arguments.map(map.get("copy"), "'copy', a map {<path here>: <path in the side document>}");
        Map<DocumentPath, DocumentPath> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : pairs.entrySet()) {
            if (e.getKey().equals("_id")) {
                throw new IllegalArgumentException("lookup cannot copy into _id (it is the key it matches by)");
            }
            copy.put(DocumentPath.parse(e.getKey()),
                    DocumentPath.parse(Arguments.string(e.getValue(), "the side path copied into '" + e.getKey() + "'")));
        }
        String when = map.containsKey("when") ? Arguments.string(map.get("when"), "'when'") : "missing";
        if (!when.equals("missing") && !when.equals("always")) {
            throw new IllegalArgumentException("unknown 'when: " + when + "'; expected missing or always");
        }
        return new LookupStep(from, copy, when.equals("always"));
    }

    /** The side collection. */
    public String from() {
        return from;
    }

    @Override
    public boolean mayChangeId() {
        return copy.keySet().stream().anyMatch(DocumentPath::touchesId);
    }

    /** Without a side lookup this step cannot run: see {@link #apply(BsonDocument, SideLookup)}. */
    @Override
    public Optional<BsonDocument> apply(BsonDocument document) {
        return apply(document, SideLookup.NONE);
    }

    /** Fills the fields from the side document found by {@code sides}; never changes its input. */
    public Optional<BsonDocument> apply(BsonDocument document, SideLookup sides) {
        BsonValue id = document.get("_id");
        if (id == null) {
            throw new IllegalArgumentException("lookup needs the document's _id to match the side document");
        }
        Optional<BsonDocument> side = sides.find(from, id);
        if (side.isEmpty()) {
            return Optional.of(document);
        }
        BsonDocument current = document;
        for (Map.Entry<DocumentPath, DocumentPath> e : copy.entrySet()) {
            Optional<BsonValue> value = e.getValue().get(side.get());
            if (value.isPresent() && (always || e.getKey().get(current).filter(v -> !v.isNull()).isEmpty())) {
                current = e.getKey().with(current, BsonConversion.copy(value.get()));
            }
        }
        return Optional.of(current);
    }
}
