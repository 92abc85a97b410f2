package io.changeover.embedded.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.changestream.ChangeStreamDocument;

/** Writes from many client threads reach the oplog in the order in which they became visible. */
class ConcurrentWritersIT {

    @RegisterExtension
    static final SharedMongo SERVER = new SharedMongo();

    @Test
    void everyWriteAppearsOnceInEachWritersOrderWithIncreasingClusterTimes() throws Exception {
        int writers = 4;
        int writesEach = 250;
        MongoCollection<Document> log = SERVER.client().getDatabase("concurrent").getCollection("log");
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try (var stream = log.watch().cursor()) {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(CompletableFuture.runAsync(() -> write(log, writer, writesEach), pool));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            List<ChangeStreamDocument<Document>> events = StreamReader.read(stream, writers * writesEach * 2);

            Map<Integer, Integer> lastSeq = new HashMap<>();
            for (int i = 0; i < events.size(); i++) {
                ChangeStreamDocument<Document> event = events.get(i);
                if (i > 0) {
                    assertTrue(events.get(i - 1).getClusterTime().compareTo(event.getClusterTime()) < 0);
                }
                if (event.getFullDocument() != null) {
                    int writer = event.getFullDocument().getInteger("writer");
                    int seq = event.getFullDocument().getInteger("seq");
                    assertEquals(lastSeq.getOrDefault(writer, -1) + 1, seq, "writer " + writer + " in order");
                    lastSeq.put(writer, seq);
                }
            }
            assertEquals(writers, lastSeq.size());
            lastSeq.values().forEach(last -> assertEquals(writesEach - 1, last));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aWriteMadeAfterAnotherThreadsAcknowledgedWriteComesLater() throws Exception {
        int rounds = 100;
        MongoCollection<Document> relay = SERVER.client().getDatabase("concurrent").getCollection("relay");
        Semaphore pingTurn = new Semaphore(1);
        Semaphore pongTurn = new Semaphore(0);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (var stream = relay.watch().cursor()) {
            var ping = CompletableFuture.runAsync(() -> relay(relay, "ping", rounds, pingTurn, pongTurn), pool);
            var pong = CompletableFuture.runAsync(() -> relay(relay, "pong", rounds, pongTurn, pingTurn), pool);
            CompletableFuture.allOf(ping, pong).get(60, TimeUnit.SECONDS);

            List<ChangeStreamDocument<Document>> events = StreamReader.read(stream, 2 * rounds);

            for (int i = 0; i < events.size(); i++) {
                Document written = events.get(i).getFullDocument();
                assertEquals(i % 2 == 0 ? "ping" : "pong", written.getString("by"));
                assertEquals(i / 2, written.getInteger("round"));
            }
        }
    }

    private static void write(MongoCollection<Document> log, int writer, int count) {
        for (int seq = 0; seq < count; seq++) {
            String id = writer + "-" + seq;
            log.insertOne(new Document("_id", id).append("writer", writer).append("seq", seq));
            log.updateOne(Filters.eq("_id", id), Updates.set("seen", true));
        }
    }

    private static void relay(MongoCollection<Document> relay, String name, int rounds, Semaphore mine, Semaphore next) {
        for (int round = 0; round < rounds; round++) {
            mine.acquireUninterruptibly();
            relay.insertOne(new Document("by", name).append("round", round));
            next.release();
        }
    }
}
