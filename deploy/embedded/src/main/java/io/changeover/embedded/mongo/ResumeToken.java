package io.changeover.embedded.mongo;

import java.util.Locale;
import java.util.Map;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;

/**
 * Resume tokens in the shape real MongoDB uses: {@code {_data: "82<8 hex seconds><8 hex increment>"}}.
 * The leading {@code 82} is MongoDB's key-string type byte for a timestamp; tools such as Debezium read the
 * cluster time from the 8 bytes that follow it. Every event has its own cluster time, so tokens of distinct
 * events are distinct, and as fixed-width upper-case hex they sort in event order.
 */
final class ResumeToken {

    static final String DATA = "_data";
    private static final String TIMESTAMP_TYPE = "82";
    private static final int HEX_LENGTH = 2 + 16;
    private static final int BAD_VALUE = 2;

    private ResumeToken() {
    }

    static Document of(long clusterTime) {
        return new Document(DATA, TIMESTAMP_TYPE + String.format(Locale.ROOT, "%016X", clusterTime));
    }

    /** The cluster time a token was issued for; fails with BadValue naming the token if it is not ours. */
    static long clusterTimeOf(Object token) {
        Object data = token instanceof Map ? ((Map<?, ?>) token).get(DATA) : null;
        if (!(data instanceof String) || ((String) data).length() < HEX_LENGTH
            || !((String) data).startsWith(TIMESTAMP_TYPE)) {
            throw new MongoServerError(BAD_VALUE, "BadValue", "invalid resume token: " + token
                + " (expected {_data: \"82<16 hex digits of the cluster time>...\"})");
        }
        try {
            return Long.parseUnsignedLong(((String) data).substring(2, HEX_LENGTH), 16);
        } catch (NumberFormatException e) {
            throw new MongoServerError(BAD_VALUE, "BadValue", "invalid resume token: " + token);
        }
    }
}
