package io.changeover.capture;

import java.util.List;
import java.util.function.Consumer;

import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.MongoException;
import com.mongodb.MongoServerException;
import com.mongodb.client.ChangeStreamIterable;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.changestream.ChangeStreamDocument;

/**
 * Watches the source database for what Debezium's change stream filters out: a captured collection dropped or
 * renamed, or the database dropped. None of these reaches the raw topics (Debezium passes inserts, updates,
 * replaces and deletes only), and after any of them the capture would go on silently while the target drifts: a drop
 * removes every document without delete events, a rename moves later writes to a name the capture does not follow.
 * The guard reports the first such event with what it means; the capture then stops, naming it. A watch the server
 * refuses (history lost, no privilege) is reported the same way: the capture does not run unguarded.
 *
 * <p>It watches from the source's operation time when the capture starts: a drop or rename while no capture ran is
 * not seen here (a dropped collection is then snapshotted as empty, or resumed from as if idle).
 */
final class SourceCollectionGuard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SourceCollectionGuard.class);
    private static final long RETRY_MILLIS = 1000;

    private final MongoDatabase database;
    private final List<String> collections;
    private final Consumer<String> onStop;
    private final Thread thread;
    private BsonTimestamp from;
    private BsonDocument resumeToken;
    private volatile boolean closed;

    /**
     * @param source a client of the source, owned by the caller
     * @param onStop told once, with a message for the operator, when a watched collection changes shape or the
     *               watch cannot go on
     */
    SourceCollectionGuard(MongoClient source, String database, List<String> collections, String migration,
                          Consumer<String> onStop) {
        this.database = source.getDatabase(database);
        this.collections = List.copyOf(collections);
        this.onStop = onStop;
        this.thread = new Thread(this::watch, "changeover-capture-guard-" + migration);
        this.thread.setDaemon(true);
    }

    /** Starts watching from the source's operation time now: every drop or rename after this returns is seen. */
    void start() {
        BsonDocument hello = database.runCommand(new Document("hello", 1), BsonDocument.class);
        from = hello.containsKey("operationTime") ? hello.getTimestamp("operationTime") : null;
        thread.start();
    }

    /** The change-stream stages: drops and renames of the captured collections, and a drop of the database. */
    static List<Document> pipeline(List<String> collections) {
        Document ofCollections = new Document("operationType", new Document("$in", List.of("drop", "rename")))
                .append("ns.coll", new Document("$in", collections));
        Document ofDatabase = new Document("operationType", "dropDatabase");
        return List.of(new Document("$match", new Document("$or", List.of(ofCollections, ofDatabase))));
    }

    /** What a structural change means for the migration, for the operator. */
    static String describe(ChangeStreamDocument<Document> event) {
        String namespace = event.getNamespace() == null ? event.getDatabaseName()
                : event.getNamespace().getFullName();
        String at = event.getClusterTime() == null ? "" : " at cluster time " + event.getClusterTime().getTime() + "."
                + event.getClusterTime().getInc();
        return switch (event.getOperationTypeString()) {
            case "rename" -> "source collection '" + namespace + "' was renamed to '"
                    + event.getDestinationNamespace().getFullName() + "'" + at + ": the migration follows '"
                    + namespace + "', so writes under the new name would not be captured. Capture stopped; change"
                    + " the spec's source collection and start a new migration, or rename it back.";
            case "drop" -> "source collection '" + namespace + "' was dropped" + at + ": its documents were removed"
                    + " without delete events, so the target still holds them. Capture stopped; restore the"
                    + " collection, or start the migration again from a new snapshot.";
            default -> "source database '" + namespace + "' was dropped" + at + ": its documents were removed without"
                    + " delete events, so the target still holds them. Capture stopped.";
        };
    }

    private void watch() {
        while (!closed) {
            try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> stream = open()) {
                awaitStructuralChange(stream);
                return;
            } catch (MongoServerException e) {
                stop("cannot watch source collections " + collections + " of '" + database.getName() + "' for drops"
                        + " and renames: the server refused (" + e.getMessage() + "). Capture stopped: it does not run"
                        + " without seeing them.");
                return;
            } catch (MongoException e) {
                if (closed) {
                    return;
                }
                LOG.warn("watching source collections {} of '{}' for drops and renames failed, resuming: {}",
                        collections, database.getName(), e.getMessage());
                pause();
            } catch (RuntimeException e) {
                if (!closed) {   // the source client closed under a running watch is the capture closing
                    stop("watching source collections " + collections + " for drops and renames failed: " + e);
                }
                return;
            }
        }
    }

    private MongoChangeStreamCursor<ChangeStreamDocument<Document>> open() {
        ChangeStreamIterable<Document> watch = database.watch(pipeline(collections));
        if (resumeToken != null) {
            watch = watch.resumeAfter(resumeToken);
        } else if (from != null) {
            watch = watch.startAtOperationTime(from);
        }
        return watch.cursor();
    }

    private void awaitStructuralChange(MongoChangeStreamCursor<ChangeStreamDocument<Document>> stream) {
        while (!closed) {
            ChangeStreamDocument<Document> event = stream.tryNext();
            if (stream.getResumeToken() != null) {
                resumeToken = stream.getResumeToken();
            }
            if (event != null && !"invalidate".equals(event.getOperationTypeString())) {
                stop(describe(event));
                return;
            }
        }
    }

    private void stop(String message) {
        LOG.error("{}", message);
        onStop.accept(message);
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops watching; the thread ends within one await of the source (it may be the one calling). */
    @Override
    public void close() {
        closed = true;
        if (Thread.currentThread() != thread) {
            thread.interrupt();
        }
    }
}
