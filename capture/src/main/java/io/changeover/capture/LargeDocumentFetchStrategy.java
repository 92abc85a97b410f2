package io.changeover.capture;

import java.time.Duration;
import java.util.Optional;

import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoServerException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;

import io.changeover.transform.format.RawRecord;

/**
 * Policy {@code fetch} (the default): the document is read by {@code _id} from the source, as the change stream's
 * own update lookup would (the current version, at or after the change). A document deleted meanwhile makes the
 * change a vanished update (no state: its delete follows in the stream). Connection errors are retried with backoff
 * (capture stops after the last try and resumes from its stored position when restarted, losing nothing); a read
 * the server refuses for another reason is dead-lettered with the server's answer; any other failure (interrupted,
 * a client-side error) stops the capture, which loses nothing either.
 */
final class LargeDocumentFetchStrategy implements LargeDocumentStrategy {
    private static final Logger LOG = LoggerFactory.getLogger(LargeDocumentFetchStrategy.class);
    private static final int ATTEMPTS = 5;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);

    /** Reads a source document by {@code _id}. */
    @FunctionalInterface
    interface DocumentSource {
        Optional<BsonDocument> find(String collection, BsonValue id);
    }

    private final DocumentSource source;

    LargeDocumentFetchStrategy(DocumentSource source) {
        this.source = source;
    }

    @Override
    public Outcome resolve(RawRecord.Change stub, int size) {
        Optional<BsonDocument> found;
        try {
            found = findWithRetries(stub);
        } catch (MongoServerException e) {   // the server refused the read; anything else stops the capture
            return new DeadLetter(stub, "document " + stub.id() + " of '" + stub.collection() + "' (" + size
                    + " bytes, over large.document.bytes) could not be read from the source: " + e.getMessage());
        }
        RawRecord.Operation operation = found.isPresent() ? stub.operation() : RawRecord.Operation.UPDATE;
        return new Write(new RawRecord.Change(stub.collection(), stub.id(), operation, found.orElse(null),
                stub.position(), stub.snapshot()));
    }

    private Optional<BsonDocument> findWithRetries(RawRecord.Change stub) {
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            try {
                return source.find(stub.collection(), stub.id());
            } catch (MongoSocketException | MongoTimeoutException | MongoNotPrimaryException
                     | MongoNodeIsRecoveringException e) {
                if (attempt == ATTEMPTS) {
                    throw new CaptureException("cannot read large document " + stub.id() + " of '"
                            + stub.collection() + "' after " + ATTEMPTS + " attempts: " + e.getMessage(), e);
                }
                LOG.warn("reading large document {} of '{}' failed (attempt {} of {}), retrying in {} ms: {}",
                        stub.id(), stub.collection(), attempt, ATTEMPTS, backoff.toMillis(), e.getMessage());
                sleep(backoff);
                backoff = backoff.multipliedBy(2);
            }
        }
    }

    private static void sleep(Duration backoff) {
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaptureException("interrupted while reading a large document", e);
        }
    }
}
