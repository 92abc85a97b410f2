package io.changeover.verify;

import java.util.ArrayList;
import java.util.List;

import org.bson.BsonDocument;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.bson.conversions.Bson;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;

/**
 * Cuts a source collection into {@code _id} ranges of about equal size, read in parallel. MongoDB range queries
 * match within one type bracket, so a collection whose lowest and highest {@code _id} are of different types (and,
 * in {@code _id} order, everything between is of one of those types or another) is read as one range.
 */
final class Partitioner {
    private Partitioner() {
    }

    static List<Bson> ranges(MongoCollection<BsonDocument> collection, int partitions, int minPerPartition) {
        long count = partitions <= 1 ? 0 : collection.countDocuments();
        if (partitions <= 1 || count < (long) partitions * minPerPartition || !oneTypeBracket(collection)) {
            return List.of(new BsonDocument());
        }
        List<BsonValue> bounds = new ArrayList<>();
        for (int k = 1; k < partitions; k++) {
            BsonDocument at = collection.find().sort(Sorts.ascending("_id")).skip((int) (k * count / partitions))
                    .projection(Projections.include("_id")).first();
            if (at != null && (bounds.isEmpty() || !bounds.get(bounds.size() - 1).equals(at.get("_id")))) {
                bounds.add(at.get("_id"));
            }
        }
        List<Bson> ranges = new ArrayList<>();
        for (int i = 0; i <= bounds.size(); i++) {
            if (i == 0) {
                ranges.add(Filters.lt("_id", bounds.get(0)));
            } else if (i == bounds.size()) {
                ranges.add(Filters.gte("_id", bounds.get(i - 1)));
            } else {
                ranges.add(Filters.and(Filters.gte("_id", bounds.get(i - 1)), Filters.lt("_id", bounds.get(i))));
            }
        }
        return ranges;
    }

    private static boolean oneTypeBracket(MongoCollection<BsonDocument> collection) {
        BsonDocument first = collection.find().sort(Sorts.ascending("_id")).projection(Projections.include("_id")).first();
        BsonDocument last = collection.find().sort(Sorts.descending("_id")).projection(Projections.include("_id")).first();
        return first != null && last != null && bracket(first.get("_id")) == bracket(last.get("_id"));
    }

    private static BsonType bracket(BsonValue id) {
        return id.isNumber() || id.isDecimal128() ? BsonType.DOUBLE : id.getBsonType();
    }
}
