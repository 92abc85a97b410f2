package io.changeover.embedded.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.changestream.ChangeStreamDocument;

/** A getMore on an idle change stream waits for the next write instead of returning at once. */
class AwaitDataIT {

    @RegisterExtension
    static final SharedMongo SERVER = new SharedMongo();

    @Test
    void idleStreamIsServedByFewGetMoresAndWakesOnTheWrite() throws Exception {
        var things = SERVER.client().getDatabase("await").getCollection("idle");
        try (MongoClient reader = MongoClients.create(SERVER.mongo().connectionString());
             var stream = reader.getDatabase("await").getCollection("idle").watch()
                 .maxAwaitTime(500, TimeUnit.MILLISECONDS).cursor()) {
            long before = getMoresServed();
            CompletableFuture<ChangeStreamDocument<Document>> next = CompletableFuture.supplyAsync(stream::next);

            Thread.sleep(2000); // the idle period being observed, not a deadline
            long idleGetMores = getMoresServed() - before;
            things.insertOne(new Document("_id", "wake"));

            assertEquals("wake", next.get(30, TimeUnit.SECONDS).getDocumentKey().getString("_id").getValue());
            assertTrue(idleGetMores >= 1, "the reader is waiting in a getMore");
            assertTrue(idleGetMores <= 10, "a waiting getMore, not a busy poll: " + idleGetMores + " getMores in 2 s");
        }
    }

    @Test
    void waitingStreamsDoNotStallOtherClients() throws Exception {
        int streams = 12;
        ExecutorService readers = Executors.newFixedThreadPool(streams);
        List<MongoClient> clients = new ArrayList<>();
        List<MongoChangeStreamCursor<ChangeStreamDocument<Document>>> cursors = new ArrayList<>();
        try {
            long before = getMoresServed();
            List<CompletableFuture<ChangeStreamDocument<Document>>> events = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                MongoClient streamClient = MongoClients.create(SERVER.mongo().connectionString());
                clients.add(streamClient);
                var cursor = streamClient.getDatabase("await").getCollection("many").watch()
                    .maxAwaitTime(60, TimeUnit.SECONDS).cursor();
                cursors.add(cursor);
                events.add(CompletableFuture.supplyAsync(cursor::next, readers));
            }
            awaitGetMoresServed(before + streams);

            CompletableFuture<Long> otherClient = CompletableFuture.supplyAsync(() -> {
                var other = SERVER.client().getDatabase("await").getCollection("other");
                other.insertOne(new Document("_id", 1));
                return other.countDocuments();
            });
            assertEquals(1L, otherClient.get(20, TimeUnit.SECONDS), "served while streams wait for up to 60 s");

            SERVER.client().getDatabase("await").getCollection("many").insertOne(new Document("_id", "all"));
            for (CompletableFuture<ChangeStreamDocument<Document>> event : events) {
                assertEquals("all", event.get(20, TimeUnit.SECONDS).getDocumentKey().getString("_id").getValue());
            }
        } finally {
            cursors.forEach(MongoChangeStreamCursor::close);
            clients.forEach(MongoClient::close);
            readers.shutdownNow();
        }
    }

    private static void awaitGetMoresServed(long atLeast) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (getMoresServed() < atLeast) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the streams never reached their getMore: " + getMoresServed());
            }
            Thread.sleep(20);
        }
    }

    /** Counted by the server, as MongoDB's serverStatus reports it. */
    private static long getMoresServed() {
        Document status = SERVER.client().getDatabase("admin").runCommand(new Document("serverStatus", 1));
        return status.get("metrics", Document.class).get("commands", Document.class)
            .get("getMore", Document.class).get("total", Number.class).longValue();
    }
}
