package io.changeover.transform.step;

import java.util.Locale;
import java.util.Map;

import org.bson.BsonDocument;
import org.bson.BsonString;

/** A {@link JavaTransform} for tests and the docs' example: upper-cases the string at {@code options.field};
 * a document named "drop me" is filtered out. */
public final class UppercaseField implements JavaTransform {
    private final String field;

    public UppercaseField(Map<String, Object> options) {
        this.field = (String) options.get("field");
    }

    @Override
    public BsonDocument apply(BsonDocument document) {
        if ("drop me".equals(document.getString("name", new BsonString("")).getValue())) {
            return null;
        }
        if (document.isString(field)) {
            document.put(field, new BsonString(document.getString(field).getValue().toUpperCase(Locale.ROOT)));
        }
        return document;
    }
}
