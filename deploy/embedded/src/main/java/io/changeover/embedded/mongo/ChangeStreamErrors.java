package io.changeover.embedded.mongo;

import java.util.List;
import java.util.Set;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;

/**
 * The errors a change stream's getMore answers with, labelled as MongoDB 4.4+ labels them. At wire version 9 and
 * above the driver (and Debezium through it) resumes a change stream only after an error labelled
 * {@value #RESUMABLE}, or CursorNotFound, or a network error: the codes below are the ones MongoDB marks resumable
 * (network, not-primary, shutdown, stale-shard and retry-change-stream errors).
 */
final class ChangeStreamErrors {

    static final String RESUMABLE = "ResumableChangeStreamError";
    static final int INTERRUPTED_AT_SHUTDOWN = 11600;

    private static final Set<Integer> RESUMABLE_CODES = Set.of(
        6,      // HostUnreachable
        7,      // HostNotFound
        63,     // StaleShardVersion
        89,     // NetworkTimeout
        91,     // ShutdownInProgress
        133,    // FailedToSatisfyReadPreference
        150,    // StaleEpoch
        189,    // PrimarySteppedDown
        234,    // RetryChangeStream
        262,    // ExceededTimeLimit
        9001,   // SocketException
        10107,  // NotWritablePrimary
        11600,  // InterruptedAtShutdown
        11602,  // InterruptedDueToReplStateChange
        13388,  // StaleConfig
        13435,  // NotPrimaryNoSecondaryOk
        13436); // NotPrimaryOrSecondary

    private ChangeStreamErrors() {
    }

    /** The error a stream's waiting getMores get when the server shuts down: resumable, as on MongoDB. */
    static MongoServerError interruptedAtShutdown() {
        return new MongoServerError(INTERRUPTED_AT_SHUTDOWN, "InterruptedAtShutdown", "interrupted at shutdown");
    }

    /** Adds {@code errorLabels} to a getMore's error reply when MongoDB would label its code resumable. */
    static Document labelled(Document errorReply) {
        Object code = errorReply.get("code");
        if (code instanceof Number number && RESUMABLE_CODES.contains(number.intValue())) {
            errorReply.put("errorLabels", List.of(RESUMABLE));
        }
        return errorReply;
    }
}
