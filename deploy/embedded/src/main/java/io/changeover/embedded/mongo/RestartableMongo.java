package io.changeover.embedded.mongo;

import java.nio.file.Path;

/**
 * An in-JVM MongoDB that can be stopped and started again on the same port with its data (saved in a directory at
 * each stop), as a replica set restarted by its operator: clients reconnect to the same address, change streams
 * resume from their tokens. A stop is clean: the data directory keeps every acknowledged write.
 */
public final class RestartableMongo implements AutoCloseable {
    private final Path data;
    private final int port;
    private EmbeddedMongo server;

    public RestartableMongo(Path data) {
        this.data = data;
        this.server = EmbeddedMongo.builder().dataDirectory(data).start();
        this.port = server.port();
    }

    public synchronized String connectionString() {
        return "mongodb://localhost:" + port + "/?replicaSet=rs0";
    }

    /** Stops serving: connections are closed, new ones refused until {@link #start()}. */
    public synchronized void stop() {
        if (server == null) {
            throw new IllegalStateException("MongoDB on port " + port + " is already stopped");
        }
        server.close();
        server = null;
    }

    /** Serves again on the same port with the data saved at the last stop. */
    public synchronized void start() {
        if (server != null) {
            throw new IllegalStateException("MongoDB on port " + port + " is already running");
        }
        server = EmbeddedMongo.builder().dataDirectory(data).port(port).start();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
