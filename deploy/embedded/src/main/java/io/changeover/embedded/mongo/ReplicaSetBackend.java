package io.changeover.embedded.mongo;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.oplog.NoopOplog;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.netty.channel.Channel;

/**
 * mongo-java-server's memory backend extended to act as the primary of a one-node replica set: it answers
 * {@code hello}/{@code isMaster} with replica-set fields, stamps replies with the cluster time, serializes writes
 * with their oplog entries, and serves change streams (collection, database and deployment scope) from the
 * {@link TimeIndexedOplog}. Transactions are refused rather than silently run without atomicity.
 */
final class ReplicaSetBackend extends MemoryBackend implements DocumentLookup {

    private static final String ADMIN = "admin";
    private static final int ILLEGAL_OPERATION = 20;
    private static final int INVALID_NAMESPACE = 73;
    private static final Set<String> READ_ONLY_COMMANDS = Set.of("find", "count", "distinct", "listcollections",
        "listindexes", "listdatabases", "ping", "buildinfo", "whatsmyuri", "getlog", "hostinfo", "getcmdlineopts",
        "connectionstatus", "dbstats", "collstats", "getfreemonitoringstatus", "getlasterror", "endsessions",
        "validate", "getmore", "killcursors", "getparameter", "serverstatus", "hello", "ismaster");
    private static final Set<String> ADMIN_DATABASE_COMMANDS = Set.of("insert", "update", "delete",
        "findandmodify", "count", "distinct", "create", "drop", "createindexes", "listindexes", "listcollections",
        "dropindexes", "aggregate", "collstats", "dbstats");
    private static final Set<String> TRANSACTION_COMMANDS = Set.of("committransaction", "aborttransaction");

    private final ReplicaSetMember member;
    private final ClusterClock clock;
    private final TimeIndexedOplog history;
    private final ChangeRecorder recorder;
    private final ChangeStreams changeStreams;
    private final CursorBatches batches;
    private final AtomicLong getMores = new AtomicLong();
    private final FailPoints failPoints = new FailPoints();

    ReplicaSetBackend(ReplicaSetMember member, int oplogEntries, long oplogBytes) {
        super(Clock.systemUTC());
        this.member = member;
        this.clock = new ClusterClock(Clock.systemUTC());
        this.history = new TimeIndexedOplog(oplogEntries, oplogBytes, clock.current());
        this.recorder = new ChangeRecorder(clock, history);
        this.changeStreams = new ChangeStreams(history, new ChangeEvents(this), getCursorRegistry()::generateCursorId,
            failPoints);
        this.batches = new CursorBatches(getCursorRegistry());
        this.oplog = recorder;
    }

    ClusterClock clock() {
        return clock;
    }

    TimeIndexedOplog history() {
        return history;
    }

    ChangeRecorder recorder() {
        return recorder;
    }

    @Override
    public MemoryDatabase openOrCreateDatabase(String databaseName) {
        return new RecordingDatabase(databaseName, getCursorRegistry(), recorder);
    }

    @Override
    protected Oplog createOplog() {
        return recorder;
    }

    @Override
    public void disableOplog() {
        // the oplog is what makes this a replica-set member: it stays on
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        Document reply = dispatch(channel, database, command, query);
        return ReplicaSetMember.stamp(reply, history.latest());
    }

    /**
     * A reply that may have to wait: a getMore on a change stream. Returns null for every other command, which is
     * then handled synchronously by {@link #handleCommand}.
     */
    CompletableFuture<Document> handleAwaitable(String command, Document query) {
        if (!"getmore".equalsIgnoreCase(command) || !(query.get(command) instanceof Number)) {
            return null;
        }
        long cursorId = ((Number) query.get(command)).longValue();
        if (!changeStreams.owns(cursorId)) {
            return null;
        }
        getMores.incrementAndGet();
        return changeStreams.getMore(cursorId, query).thenApply(reply -> ReplicaSetMember.stamp(reply, history.latest()));
    }

    private Document dispatch(Channel channel, String database, String command, Document query) {
        String name = command.toLowerCase(Locale.ROOT);
        refuseTransactions(name, query);
        switch (name) {
            case "hello", "ismaster":
                long latest = history.latest();
                return member.hello(command, query, latest, ClusterClock.secondsOf(latest) * 1000);
            case "getmore":
                CompletableFuture<Document> pending = handleAwaitable(command, query);
                if (pending != null) {
                    return join(pending);
                }
                getMores.incrementAndGet();
                return batches.getMore(database, query, command);
            case "find":
                return batches.filledFirstBatch(query,
                        handleInDatabase(channel, database, command, CursorBatches.narrowed(query)));
            case "killcursors":
                return killCursors(channel, database, command, query);
            case "aggregate":
                if (isChangeStream(query)) {
                    return openChangeStream(channel, database, query);
                }
                return writesData(query) ? recorder.write(() -> handleInDatabase(channel, database, command, query))
                    : handleInDatabase(channel, database, command, query);
            case "configurefailpoint":
                return failPoints.configure(query);
            case "replsetgetstatus":
                return member.replSetStatus(history.latest());
            case "dropdatabase":
                return dropDatabase(channel, database, command, query);
            case "renamecollection":
                return renameCollection(channel, database, command, query);
            case "update":
                rewriteLiteralReplacements(query);
                return recorder.write(() -> handleInDatabase(channel, database, command, query));
            case "findandmodify":
                return recorder.write(() -> {
                    Document reply = handleInDatabase(channel, database, command, query);
                    recorder.statementApplied(query.get("update"));
                    return reply;
                });
            default:
                if (READ_ONLY_COMMANDS.contains(name)) {
                    return handleInDatabase(channel, database, command, query);
                }
                return recorder.write(() -> handleInDatabase(channel, database, command, query));
        }
    }

    /** Like super, but the admin database also takes ordinary collection commands, as on a real server. */
    private Document handleInDatabase(Channel channel, String database, String command, Document query) {
        String name = command.toLowerCase(Locale.ROOT);
        boolean collectionCommand = ADMIN_DATABASE_COMMANDS.contains(name)
            || "find".equals(name) && !"$cmd.sys.inprog".equals(query.get(command));
        if (ADMIN.equals(database) && collectionCommand) {
            return resolveDatabase(ADMIN).handleCommand(channel, command, query, this::resolveDatabase, oplog);
        }
        return super.handleCommand(channel, database, command, query);
    }

    private Document openChangeStream(Channel channel, String database, Document query) {
        List<Document> pipeline = Aggregation.parse(query.get("pipeline"));
        Document spec = (Document) pipeline.get(0).get("$changeStream");
        ChangeStreamScope scope = scopeOf(database, query.get("aggregate"), spec);
        EventPipeline stages = EventPipeline.of(pipeline.subList(1, pipeline.size()), run -> Aggregation.fromPipeline(
            run, this::resolveDatabase, resolveDatabase(database), null, NoopOplog.get()));
        ChangeStreamCursor cursor = changeStreams.open(channel, scope, stages,
            FullDocumentMode.parse(spec.get("fullDocument")), startPosition(spec));
        Document cursorOptions = query.get("cursor") instanceof Document ? (Document) query.get("cursor") : new Document();
        int batchSize = cursorOptions.get("batchSize") instanceof Number
            ? ((Number) cursorOptions.get("batchSize")).intValue() : ChangeStreams.DEFAULT_FIRST_BATCH;
        try {
            return changeStreams.reply(cursor, cursor.next(batchSize), "firstBatch");
        } catch (RuntimeException e) {
            changeStreams.kill(List.of(cursor.id()));   // MongoDB keeps no cursor for a failed aggregate
            throw e;
        }
    }

    private static ChangeStreamScope scopeOf(String database, Object target, Document spec) {
        boolean wholeDeployment = Utils.isTrue(spec.get("allChangesForCluster"));
        if (ADMIN.equals(database)) {
            if (!wholeDeployment || !(target instanceof Number)) {
                throw new MongoServerError(INVALID_NAMESPACE, "InvalidNamespace", "$changeStream on the admin database "
                    + "needs aggregate: 1 and allChangesForCluster: true (got aggregate: " + target + ")");
            }
            return ChangeStreamScope.deployment();
        }
        if (wholeDeployment) {
            throw new MongoServerError(INVALID_NAMESPACE, "InvalidNamespace",
                "allChangesForCluster is only allowed on the admin database, not on '" + database + "'");
        }
        return new ChangeStreamScope(database, target instanceof Number ? null : String.valueOf(target));
    }

    /** The cluster time after which the stream starts: resume token, operation time (inclusive) or now. */
    private long startPosition(Document spec) {
        if (spec.get("startAfter") != null) {
            return ResumeToken.clusterTimeOf(spec.get("startAfter"));
        }
        if (spec.get("resumeAfter") != null) {
            return ResumeToken.clusterTimeOf(spec.get("resumeAfter"));
        }
        if (spec.get("startAtOperationTime") instanceof BsonTimestamp) {
            return ((BsonTimestamp) spec.get("startAtOperationTime")).getValue() - 1;
        }
        return history.latest();
    }

    private Document killCursors(Channel channel, String database, String command, Document query) {
        List<?> requested = (List<?>) query.get("cursors");
        List<Long> killed = changeStreams.kill(requested);
        List<Object> others = new ArrayList<>(requested);
        others.removeAll(killed);
        Document reply;
        if (others.isEmpty()) {
            reply = new Document("cursorsKilled", killed).append("cursorsNotFound", List.of()).append("ok", 1.0);
        } else {
            Document rest = new Document(query);
            rest.put("cursors", others);
            reply = super.handleCommand(channel, database, command, rest);
            @SuppressWarnings("unchecked")
            List<Object> alsoKilled = new ArrayList<>((List<Object>) reply.get("cursorsKilled"));
            alsoKilled.addAll(killed);
            reply.put("cursorsKilled", alsoKilled);
        }
        return reply;
    }

    private Document renameCollection(Channel channel, String database, String command, Document query) {
        String from = String.valueOf(query.get(command));
        String to = String.valueOf(query.get("to"));
        if (from.equals(to)) {
            throw new MongoServerError(ILLEGAL_OPERATION, "IllegalOperation", "Can't rename a collection to itself");
        }
        return recorder.write(() -> {
            Document reply = super.handleCommand(channel, database, command, query);
            recorder.collectionRenamed(from, to);
            return reply;
        });
    }

    private Document dropDatabase(Channel channel, String database, String command, Document query) {
        return recorder.write(() -> {
            boolean existed = listDatabaseNames().contains(database);
            Document reply = super.handleCommand(channel, database, command, query);
            if (existed) {
                recorder.databaseDropped(database);
            }
            return reply;
        });
    }

    /** Statements mongo-java-server would refuse but MongoDB 5.0 runs as replacements ({@link LiteralReplacement}). */
    private static void rewriteLiteralReplacements(Document query) {
        if (query.get("updates") instanceof List<?> statements) {
            for (Object statement : statements) {
                if (statement instanceof Document update && update.containsKey("u")) {
                    update.put("u", LiteralReplacement.rewrite(update.get("u")));
                }
            }
        }
    }

    private static void refuseTransactions(String name, Document query) {
        if (TRANSACTION_COMMANDS.contains(name) || query.containsKey("startTransaction")
            || query.containsKey("autocommit")) {
            throw new MongoServerError(ILLEGAL_OPERATION, "IllegalOperation", "Transactions are not supported by "
                + "Changeover's embedded MongoDB (command '" + name + "'); use a real replica set for transactions");
        }
    }

    private static boolean isChangeStream(Document query) {
        Object pipeline = query.get("pipeline");
        return pipeline instanceof List && !((List<?>) pipeline).isEmpty()
            && ((List<?>) pipeline).get(0) instanceof Document
            && ((Document) ((List<?>) pipeline).get(0)).containsKey("$changeStream");
    }

    private static boolean writesData(Document query) {
        Object pipeline = query.get("pipeline");
        return pipeline instanceof List && ((List<?>) pipeline).stream()
            .anyMatch(stage -> stage instanceof Document
                && (((Document) stage).containsKey("$out") || ((Document) stage).containsKey("$merge")));
    }

    private static Document join(CompletableFuture<Document> reply) {
        try {
            return reply.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw e;
        }
    }

    @Override
    public Found findById(String database, String collection, Object id) {
        if (!listDatabaseNames().contains(database)) {
            return null;
        }
        MongoCollection<?> found = resolveDatabase(database).resolveCollection(collection, false);
        return found instanceof RecordingCollection recording ? recording.findById(id) : null;
    }

    @Override
    public Document getServerStatus() {
        Document status = super.getServerStatus();
        Document metrics = (Document) status.computeIfAbsent("metrics", key -> new Document());
        metrics.put("commands", new Document("getMore", new Document("total", getMores.get())));
        status.put("repl", member.replStatus());
        status.put("changeStreams", new Document("open", changeStreams.openCount())
            .append("oplogEntries", history.size()));
        return status;
    }

    @Override
    public void handleClose(Channel channel) {
        changeStreams.closeAllOf(channel);
        super.handleClose(channel);
    }

    @Override
    public void close() {
        changeStreams.close();
        super.close();
    }

    /** Runs {@code action} under the write lock so no write interleaves (used to persist a consistent snapshot). */
    void exclusively(Runnable action) {
        recorder.write(() -> {
            action.run();
            return null;
        });
    }

    Set<String> databaseNames() {
        return listDatabaseNames();
    }
}
