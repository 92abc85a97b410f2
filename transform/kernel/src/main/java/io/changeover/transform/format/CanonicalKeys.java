package io.changeover.transform.format;

import org.bson.BsonValue;

/**
 * The canonical extended JSON of {@code {"_id": <id>}} for the id types keys are made of nearly always (an ObjectId,
 * a 32- or 64-bit integer, a string of letters, digits and {@code _-.:}), written directly: every change writes
 * several keys, and the driver's JSON writer costs more than the record around them. Exactly the text
 * {@code new BsonDocument("_id", id).toJson(EXTENDED)} gives; null for any other id, which the caller writes that way.
 */
final class CanonicalKeys {
    private CanonicalKeys() {
    }

    static String of(BsonValue id) {
        return switch (id.getBsonType()) {
            case OBJECT_ID -> "{\"_id\": {\"$oid\": \"" + id.asObjectId().getValue().toHexString() + "\"}}";
            case INT32 -> "{\"_id\": {\"$numberInt\": \"" + id.asInt32().getValue() + "\"}}";
            case INT64 -> "{\"_id\": {\"$numberLong\": \"" + id.asInt64().getValue() + "\"}}";
            case STRING -> plain(id.asString().getValue()) ? "{\"_id\": \"" + id.asString().getValue() + "\"}" : null;
            default -> null;
        };
    }

    /** A string the JSON writer copies as it is: nothing to escape. */
    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '_' || c == '-' || c == '.' || c == ':';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
