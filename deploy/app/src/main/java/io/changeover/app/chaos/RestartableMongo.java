package io.changeover.app.chaos;

import java.nio.file.Path;

import io.changeover.embedded.mongo.EmbeddedMongo;

/** An in-JVM MongoDB that can be stopped and started again on the same port with its data (saved in a directory). */
final class RestartableMongo implements AutoCloseable {
    private final Path data;
    private final int port;
    private EmbeddedMongo server;

    RestartableMongo(Path data) {
        this.data = data;
        this.server = EmbeddedMongo.builder().dataDirectory(data).start();
        this.port = server.port();
    }

    synchronized String connectionString() {
        return "mongodb://localhost:" + port + "/?replicaSet=rs0";
    }

    synchronized void stop() {
        server.close();
        server = null;
    }

    synchronized void start() {
        server = EmbeddedMongo.builder().dataDirectory(data).port(port).start();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
        }
    }
}
