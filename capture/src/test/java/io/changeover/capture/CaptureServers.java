package io.changeover.capture;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.embedded.mongo.MongoUnderTest;

/** The servers a capture IT runs against: an embedded broker, a source replica set and a client of it. */
final class CaptureServers implements AutoCloseable {
    private final EmbeddedKafka kafka;
    private final MongoUnderTest mongo;
    private final MongoClient client;

    private CaptureServers(EmbeddedKafka kafka, MongoUnderTest mongo, MongoClient client) {
        this.kafka = kafka;
        this.mongo = mongo;
        this.client = client;
    }

    static CaptureServers start() {
        EmbeddedKafka kafka = EmbeddedKafka.start();
        MongoUnderTest mongo = MongoUnderTest.start();
        return new CaptureServers(kafka, mongo, MongoClients.create(mongo.uri()));
    }

    EmbeddedKafka kafka() {
        return kafka;
    }

    MongoUnderTest mongo() {
        return mongo;
    }

    MongoClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        mongo.close();
        kafka.close();
    }
}
