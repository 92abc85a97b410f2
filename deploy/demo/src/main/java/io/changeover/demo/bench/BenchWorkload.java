package io.changeover.demo.bench;

import org.bson.BsonDocument;

import com.mongodb.client.model.WriteModel;

/** What a bench writer writes next; every document it writes or rewrites carries {@code stamp}. */
interface BenchWorkload {
    /** A short name for the report. */
    String name();

    /** The next change, or null when there is nothing to change yet. */
    WriteModel<BsonDocument> next(BsonDocument stamp);
}
