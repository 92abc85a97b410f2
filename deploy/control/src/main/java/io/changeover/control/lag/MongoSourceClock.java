package io.changeover.control.lag;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonTimestamp;

import com.mongodb.client.MongoClient;

import io.changeover.transform.format.SourcePosition;

/**
 * The source's latest operation time, read from the {@code operationTime} of a {@code hello} reply (a replica-set
 * member includes it in every reply).
 */
public final class MongoSourceClock implements SourceClock {
    private final MongoClient client;

    MongoSourceClock(MongoClient client) {
        this.client = client;
    }

    @Override
    public SourcePosition latest() {
        BsonDocument reply = client.getDatabase("admin").runCommand(new BsonDocument("hello", new BsonInt32(1)), BsonDocument.class);
        if (reply.isTimestamp("operationTime")) {
            return new SourcePosition(reply.getTimestamp("operationTime").getValue());
        }
        BsonDocument clusterTime = reply.getDocument("$clusterTime", new BsonDocument());
        if (clusterTime.isTimestamp("clusterTime")) {
            BsonTimestamp ts = clusterTime.getTimestamp("clusterTime");
            return new SourcePosition(ts.getValue());
        }
        throw new IllegalStateException("the source's hello reply has no operationTime: is it a replica-set member? " + reply.toJson());
    }
}
