package io.changeover.control.source;

import java.time.Instant;

import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonString;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.changeover.control.cutover.FenceStage;
import io.changeover.control.lag.SourceClock;
import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.spec.MigrationSpec;

/** A MongoDB replica set: one client for the clock, the counts, the fence (a document in {@link FenceStage#FENCE_COLLECTION}). */
final class MongoSourceAccess implements SourceAccess {
    private final MigrationSpec spec;
    private final MongoClient client;
    private final SourceClock clock;

    MongoSourceAccess(MigrationSpec spec) {
        this.spec = spec;
        this.client = MongoClients.create(spec.source().uri());
        this.clock = SourceClock.of(client);
    }

    @Override
    public SourcePosition latest() {
        return clock.latest();
    }

    @Override
    public long estimatedCount(String collection) {
        return client.getDatabase(spec.source().database()).getCollection(collection).estimatedDocumentCount();
    }

    @Override
    public void writeFence(String id) {
        client.getDatabase(spec.source().database()).getCollection(FenceStage.FENCE_COLLECTION, BsonDocument.class)
                .insertOne(new BsonDocument("_id", new BsonString(id))
                        .append("migration", new BsonString(spec.name()))
                        .append("at", new BsonDateTime(Instant.now().toEpochMilli())));
    }

    static String fenceDescription(MigrationSpec spec) {
        return "write a fence marker into " + spec.source().database() + "." + FenceStage.FENCE_COLLECTION;
    }

    @Override
    public MongoClient documents() {
        return client;
    }

    @Override
    public void close() {
        client.close();
    }
}
