package io.changeover.sink;

import java.util.Set;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;

/**
 * The sink's declared error sets. <b>Retriable</b>: the target is unreachable, not primary, recovering, timed out,
 * or did not satisfy the write concern in time; the whole batch is written again after a backoff (writes are guarded
 * by position, so repeating one is harmless). <b>Duplicate keys</b> are told apart by {@link DuplicateKey}: on
 * {@code _id}, the position guard; on a unique secondary index, a conflict written again after its batch and on later
 * polls ({@link HeldConflicts}) before it is dead-lettered. <b>Data errors</b>: the target refuses this one document
 * (too large, invalid field name, failed validation); it goes to the dead-letter topic. Anything else stops the sink.
 */
public final class WriteErrors {
    /** Server error codes meaning "try again later". */
    public static final Set<Integer> RETRIABLE_CODES = Set.of(
            6,      // HostUnreachable
            7,      // HostNotFound
            64,     // WriteConcernFailed (wtimeout)
            89,     // NetworkTimeout
            91,     // ShutdownInProgress
            189,    // PrimarySteppedDown
            262,    // ExceededTimeLimit
            9001,   // SocketException
            10107,  // NotWritablePrimary
            11600,  // InterruptedAtShutdown
            11602,  // InterruptedDueToReplStateChange
            13435,  // NotPrimaryNoSecondaryOk
            13436); // NotPrimaryOrSecondary
    /** Server error codes that refuse one document for what it contains. */
    public static final Set<Integer> DATA_CODES = Set.of(
            2,      // BadValue
            52,     // DollarPrefixedFieldName
            55,     // InvalidDBRef
            57,     // DottedFieldName
            121,    // DocumentValidationFailure
            10334,  // BSONObjectTooLarge
            17419); // document too large after update

    private WriteErrors() {
    }

    public static boolean isDuplicateKey(int code) {
        return code == 11000 || code == 11001;
    }

    /** Whether {@code e} (thrown by a write) means the target may accept the same write later. */
    public static boolean isRetriable(Throwable e) {
        if (e instanceof RetriableTargetException) {
            return true;
        }
        if (e instanceof MongoSocketException || e instanceof MongoTimeoutException
                || e instanceof MongoNotPrimaryException || e instanceof MongoNodeIsRecoveringException
                || e instanceof MongoExecutionTimeoutException || e instanceof MongoWriteConcernException) {
            return true;
        }
        if (e instanceof MongoBulkWriteException bulk) {
            return bulk.getWriteConcernError() != null && bulk.getWriteErrors().isEmpty()
                    || bulk.getWriteErrors().stream().anyMatch(w -> RETRIABLE_CODES.contains(w.getCode()));
        }
        if (e instanceof MongoException mongo) {
            return mongo.hasErrorLabel(MongoException.TRANSIENT_TRANSACTION_ERROR_LABEL)
                    || mongo.hasErrorLabel("RetryableWriteError")
                    || mongo instanceof MongoCommandException && RETRIABLE_CODES.contains(mongo.getCode());
        }
        return e != null && e.getCause() != e && e.getCause() instanceof MongoSocketException;
    }
}
