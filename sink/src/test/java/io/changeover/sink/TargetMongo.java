package io.changeover.sink;

import java.net.InetSocketAddress;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * The target MongoDB of an integration test: the deployment named by {@code CHANGEOVER_IT_MONGO_URI} when set,
 * otherwise an in-JVM server on loopback.
 */
final class TargetMongo implements AutoCloseable {
    private final MongoServer server;
    private final String uri;

    private TargetMongo(MongoServer server, String uri) {
        this.server = server;
        this.uri = uri;
    }

    static TargetMongo start() {
        String external = System.getenv("CHANGEOVER_IT_MONGO_URI");
        if (external != null && !external.isBlank()) {
            return new TargetMongo(null, external);
        }
        MongoServer server = new MongoServer(new MemoryBackend());
        InetSocketAddress address = server.bind();
        return new TargetMongo(server, "mongodb://localhost:" + address.getPort());
    }

    String uri() {
        return uri;
    }

    MongoClient client() {
        return MongoClients.create(uri);
    }

    @Override
    public void close() {
        if (server != null) {
            server.shutdownNow();
        }
    }
}
