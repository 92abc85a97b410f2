package io.changeover.embedded.mongo;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.wire.MongoWireProtocolHandler;

/**
 * How this server describes itself: the only member, and primary, of a one-node replica set. Builds the
 * {@code hello}/{@code isMaster} reply that drivers use for server discovery, and stamps every reply with
 * {@code operationTime} and {@code $clusterTime} (the cluster time of the latest oplog entry), as replica-set
 * members do.
 */
final class ReplicaSetMember {

    /**
     * MongoDB 5.0's wire version, matching the 5.0 that {@code buildInfo} reports (mongo-java-server says 8, 4.2's).
     * From 9 on, drivers resume change streams on {@code ResumableChangeStreamError} labels, which this server
     * attaches ({@link ChangeStreamErrors}).
     */
    static final int MAX_WIRE_VERSION = 13;
    private static final int MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
    private static final int LOGICAL_SESSION_TIMEOUT_MINUTES = 30;
    private static final BinData UNSIGNED = new BinData(new byte[20]);

    private final String setName;
    /**
     * The election term: the start's wall-clock milliseconds, so a restarted server's term is greater than any
     * before it, as a new election's is on MongoDB.
     */
    private final long term = System.currentTimeMillis();
    /**
     * MongoDB's form, {@code 7fffffff} then the term: ordered by term. A random one (mongo-java-server's ObjectId)
     * made a client that had seen the server before its restart mark the new primary stale half of the time
     * ("electionId/setVersion mismatch") and never write to it again.
     */
    private final ObjectId electionId = electionIdOf(term);
    private final AtomicInteger connectionIds = new AtomicInteger();
    private volatile String host = "localhost:27017";

    ReplicaSetMember(String setName) {
        this.setName = setName;
    }

    void boundTo(int port) {
        host = "localhost:" + port;
    }

    String setName() {
        return setName;
    }

    /** The reply to {@code hello} or (legacy) {@code isMaster}. */
    Document hello(String command, Document query, long latestClusterTime, long latestWallMillis) {
        Document reply = new Document();
        reply.put(command.equalsIgnoreCase("hello") ? "isWritablePrimary" : "ismaster", Boolean.TRUE);
        if (Utils.isTrue(query.get("helloOk"))) {
            reply.put("helloOk", Boolean.TRUE);
        }
        reply.put("hosts", List.of(host));
        reply.put("setName", setName);
        reply.put("setVersion", 1);
        reply.put("secondary", Boolean.FALSE);
        reply.put("primary", host);
        reply.put("me", host);
        reply.put("electionId", electionId);
        reply.put("lastWrite", lastWrite(latestClusterTime, latestWallMillis));
        reply.put("maxBsonObjectSize", MAX_BSON_OBJECT_SIZE);
        reply.put("maxMessageSizeBytes", MongoWireProtocolHandler.MAX_MESSAGE_SIZE_BYTES);
        reply.put("maxWriteBatchSize", MongoWireProtocolHandler.MAX_WRITE_BATCH_SIZE);
        reply.put("localTime", Instant.now());
        reply.put("logicalSessionTimeoutMinutes", LOGICAL_SESSION_TIMEOUT_MINUTES);
        reply.put("connectionId", connectionIds.incrementAndGet());
        reply.put("minWireVersion", 0);
        reply.put("maxWireVersion", MAX_WIRE_VERSION);
        reply.put("readOnly", Boolean.FALSE);
        reply.put("ok", 1.0);
        return reply;
    }

    /** The replica-set section of {@code serverStatus}. */
    Document replStatus() {
        return new Document("setName", setName)
            .append("isWritablePrimary", Boolean.TRUE)
            .append("secondary", Boolean.FALSE)
            .append("hosts", List.of(host))
            .append("primary", host)
            .append("me", host);
    }

    /** The reply to {@code replSetGetStatus}: one healthy primary. */
    Document replSetStatus(long latestClusterTime) {
        Document opTime = new Document("ts", new BsonTimestamp(latestClusterTime)).append("t", term);
        Document self = new Document("_id", 0).append("name", host).append("health", 1.0).append("state", 1)
            .append("stateStr", "PRIMARY").append("optime", opTime).append("self", Boolean.TRUE);
        return new Document("set", setName).append("date", Instant.now()).append("myState", 1)
            .append("term", term).append("members", List.of(self)).append("ok", 1.0);
    }

    /** Adds {@code operationTime} and {@code $clusterTime} to a reply. */
    static Document stamp(Document reply, long latestClusterTime) {
        BsonTimestamp time = new BsonTimestamp(latestClusterTime);
        reply.put("operationTime", time);
        reply.put("$clusterTime", new Document("clusterTime", time)
            .append("signature", new Document("hash", UNSIGNED).append("keyId", 0L)));
        return reply;
    }

    private static ObjectId electionIdOf(long term) {
        return new ObjectId(ByteBuffer.allocate(12).putInt(Integer.MAX_VALUE).putLong(term).array());
    }

    private Document lastWrite(long clusterTime, long wallMillis) {
        Document opTime = new Document("ts", new BsonTimestamp(clusterTime)).append("t", term);
        Instant date = Instant.ofEpochMilli(wallMillis);
        return new Document("opTime", opTime)
            .append("lastWriteDate", date)
            .append("majorityOpTime", opTime)
            .append("majorityWriteDate", date);
    }
}
