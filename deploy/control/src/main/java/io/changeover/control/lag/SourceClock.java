package io.changeover.control.lag;

import com.mongodb.client.MongoClient;

import io.changeover.transform.format.SourcePosition;

/** The source's latest position: where lag is measured from. */
public interface SourceClock {
    /** The position of the source's latest write. */
    SourcePosition latest();

    /** A MongoDB replica set's clock ({@link MongoSourceClock}). */
    static SourceClock of(MongoClient client) {
        return new MongoSourceClock(client);
    }
}
