package io.changeover.sink;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The index a duplicate-key error names. MongoDB (and the in-JVM test server) word it {@code E11000 duplicate key
 * error collection: <namespace> index: <name> dup key: {...}}; the driver gives the message, not the index, so it is
 * read from there. On {@code _id} it is the position guard or a concurrent insert of the same document; on any other
 * index it is a unique secondary index refusing a value another document holds.
 */
record DuplicateKey(String index) {
    static final String ID_INDEX = "_id_";
    private static final Pattern INDEX = Pattern.compile("index: (\\S+) dup key");

    /** The duplicate key of an error with code {@code code} and {@code message}; empty for any other error. */
    static Optional<DuplicateKey> of(int code, String message) {
        if (!WriteErrors.isDuplicateKey(code)) {
            return Optional.empty();
        }
        return Optional.of(new DuplicateKey(indexIn(message).orElse(ID_INDEX)));
    }

    /** The index a duplicate-key message names, if it names one. */
    private static Optional<String> indexIn(String message) {
        Matcher m = INDEX.matcher(message == null ? "" : message);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    boolean onId() {
        return ID_INDEX.equals(index);
    }
}
