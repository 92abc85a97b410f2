package io.changeover.embedded.mongo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.model.changestream.ChangeStreamDocument;

/** Test helper: reads change events until enough arrived, failing after a generous deadline. */
final class StreamReader {

    static final Duration DEADLINE = Duration.ofSeconds(30);

    private StreamReader() {
    }

    static <T> List<ChangeStreamDocument<T>> read(MongoChangeStreamCursor<ChangeStreamDocument<T>> cursor, int count) {
        Instant deadline = Instant.now().plus(DEADLINE);
        List<ChangeStreamDocument<T>> events = new ArrayList<>();
        while (events.size() < count) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("expected " + count + " change events, got " + events.size() + ": " + events);
            }
            ChangeStreamDocument<T> event = cursor.tryNext();
            if (event != null) {
                events.add(event);
            }
        }
        return events;
    }
}
