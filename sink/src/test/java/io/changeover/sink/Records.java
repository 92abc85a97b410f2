package io.changeover.sink;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

import io.changeover.transform.format.OutputRecords;
import io.changeover.transform.format.SourcePosition;

/** Output records for tests. */
final class Records {
    private Records() {
    }

    static OutputRecord upsert(long offset, int id, String state) {
        BsonDocument doc = new BsonDocument("_id", new BsonInt32(id)).append("state", new BsonString(state));
        return record(offset, new BsonInt32(id), doc);
    }

    static OutputRecord delete(long offset, int id) {
        return record(offset, new BsonInt32(id), null);
    }

    static OutputRecord record(long offset, BsonValue id, BsonDocument doc) {
        int size = doc == null ? 0 : OutputRecords.value(doc).length;
        return new OutputRecord("t", 0, offset, id, doc, SourcePosition.of(1000, (int) offset), size);
    }
}
