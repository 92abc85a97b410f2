package io.changeover.verify;

import java.time.Duration;

import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

/**
 * How far the pipeline has got, read the way any client can: the source's current operation time, and the sink's
 * last applied source position per target collection from the metadata collection ({@code docs/metadata.md},
 * documents {@code sink.position.<collection>}). Used to wait, before a difference is checked again, until the
 * pipeline has applied every change made before the first check.
 */
final class SinkProgress {
    private final MongoDatabase source;
    private final MongoDatabase target;
    private final String metadataCollection;

    SinkProgress(MongoDatabase source, MongoDatabase target, String metadataCollection) {
        this.source = source;
        this.target = target;
        this.metadataCollection = metadataCollection;
    }

    /** The source's operation time now (cluster time as seconds << 32 | increment). */
    long sourceTime() {
        BsonDocument hello = source.runCommand(new BsonDocument("hello", new org.bson.BsonInt32(1)), BsonDocument.class);
        BsonValue time = hello.get("operationTime");
        if (time == null && hello.isDocument("$clusterTime")) {
            time = hello.getDocument("$clusterTime").get("clusterTime");
        }
        if (time instanceof BsonTimestamp ts) {
            return ts.getValue();
        }
        return (System.currentTimeMillis() / 1000) << 32;
    }

    /** The sink's last applied position for {@code collection}, 0 when it has none. */
    long applied(String collection) {
        BsonDocument doc = target.getCollection(metadataCollection, BsonDocument.class)
                .find(Filters.eq("_id", "sink.position." + collection)).first();
        return doc != null && doc.isNumber("positionValue") ? doc.getNumber("positionValue").longValue() : 0;
    }

    /** Waits until the sink applied {@code collection} up to {@code position}, at most {@code max}; true if it did. */
    boolean awaitApplied(String collection, long position, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (Long.compareUnsigned(applied(collection), position) < 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(200);
        }
        return true;
    }
}
