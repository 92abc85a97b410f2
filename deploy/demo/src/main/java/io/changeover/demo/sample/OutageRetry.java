package io.changeover.demo.sample;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteException;

/**
 * Runs a service's write through an outage of its server, as a service with a retry policy does: a write that fails
 * because the server is unreachable or not primary is tried again, with backoff up to 2 s, until the outage has lasted
 * longer than {@code tolerance}. The writer's operations are idempotent when repeated, except an insert, whose first
 * attempt may have been applied before the connection broke: on a later attempt its duplicate key means it was.
 * A tolerance of zero lets the first failure through.
 */
final class OutageRetry {
    private static final Logger LOG = LoggerFactory.getLogger(OutageRetry.class);
    private static final long MAX_BACKOFF_MILLIS = 2_000;
    private final Duration tolerance;

    OutageRetry(Duration tolerance) {
        this.tolerance = tolerance;
    }

    /** Runs an update, replace or delete (applying it twice is applying it once). */
    void write(Runnable operation) {
        run(operation, false);
    }

    /** Runs an insert of a document with its own {@code _id}. */
    void insert(Runnable operation) {
        run(operation, true);
    }

    private void run(Runnable operation, boolean insert) {
        long started = System.nanoTime();
        long backoff = 100;
        for (int attempt = 1; ; attempt++) {
            try {
                operation.run();
                if (attempt > 1) {
                    LOG.info("write succeeded after {} attempts: the server serves again", attempt);
                }
                return;
            } catch (MongoWriteException e) {
                if (insert && attempt > 1 && e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                    return;   // an earlier attempt was applied before its acknowledgement was lost
                }
                throw e;
            } catch (MongoSocketException | MongoTimeoutException | MongoNotPrimaryException
                     | MongoNodeIsRecoveringException e) {
                if (System.nanoTime() - started > tolerance.toNanos()) {
                    throw e;
                }
                if (attempt == 1) {
                    LOG.warn("write failed ({}); retrying for up to {} s", e.getMessage(), tolerance.toSeconds());
                }
                sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);   // backoff while the server is away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the server to return", e);
        }
    }
}
