package io.changeover.embedded.mongo;

import java.util.Locale;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;

/**
 * MongoDB's {@code configureFailPoint} test command, for the one fail point the drivers' change-stream resume tests
 * use: {@code failGetMoreAfterCursorCheckout} makes the next getMores of change streams fail with
 * {@code data.errorCode}, {@code mode: {times: n}} times, or every time ({@code "alwaysOn"}) until {@code "off"}. A
 * real server accepts it only with test commands enabled; this one always does.
 */
final class FailPoints {

    static final String FAIL_GET_MORE = "failGetMoreAfterCursorCheckout";
    private static final int BAD_VALUE = 2;
    private static final int ALWAYS = -1;

    private int remaining;
    private int errorCode;

    /** Handles {@code configureFailPoint}; refuses fail points it does not know, naming the one it does. */
    synchronized Document configure(Document command) {
        Object name = command.get("configureFailPoint");
        if (!FAIL_GET_MORE.equals(name)) {
            throw new MongoServerError(BAD_VALUE, "BadValue", "Changeover's embedded MongoDB knows only the fail point "
                + FAIL_GET_MORE + ", not " + name);
        }
        Object mode = command.get("mode");
        remaining = timesOf(mode);
        errorCode = command.get("data") instanceof Document data && data.get("errorCode") instanceof Number code
            ? code.intValue() : 0;
        return new Document("count", 0).append("ok", 1.0);
    }

    /** The error the next change-stream getMore must fail with, or null; counts one use of the fail point. */
    synchronized MongoServerError nextGetMoreFailure() {
        if (remaining == 0) {
            return null;
        }
        if (remaining > 0) {
            remaining--;
        }
        return new MongoServerError(errorCode, "Location" + errorCode,
            "Failing command via '" + FAIL_GET_MORE + "' failpoint");
    }

    private static int timesOf(Object mode) {
        if (mode instanceof Document times && times.get("times") instanceof Number n) {
            return n.intValue();
        }
        String named = String.valueOf(mode).toLowerCase(Locale.ROOT);
        return switch (named) {
            case "alwayson" -> ALWAYS;
            case "off" -> 0;
            default -> throw new MongoServerError(BAD_VALUE, "BadValue", "fail point mode must be {times: n}, "
                + "\"alwaysOn\" or \"off\", not " + mode);
        };
    }
}
