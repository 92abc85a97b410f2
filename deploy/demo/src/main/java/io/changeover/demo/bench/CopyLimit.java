package io.changeover.demo.bench;

import java.util.ArrayList;
import java.util.List;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Sorts;

/**
 * The fastest possible copy: read the source in {@code _id}-ordered batches and insert them into an empty target with
 * unordered bulk inserts. No Kafka, no transform. This is the ceiling Changeover's snapshot is measured against.
 */
final class CopyLimit {
    private static final int BATCH = 1_000;

    private CopyLimit() {
    }

    /** Copies every document; returns the number copied. */
    static long copy(MongoCollection<BsonDocument> source, MongoCollection<BsonDocument> target) {
        long copied = 0;
        BsonValue last = null;
        while (true) {
            List<BsonDocument> page = new ArrayList<>(BATCH);
            (last == null ? source.find() : source.find(Filters.gt("_id", last)))
                    .sort(Sorts.ascending("_id")).limit(BATCH).batchSize(BATCH).into(page);
            if (page.isEmpty()) {
                return copied;
            }
            target.insertMany(page, new InsertManyOptions().ordered(false));
            copied += page.size();
            last = page.get(page.size() - 1).get("_id");
        }
    }
}
