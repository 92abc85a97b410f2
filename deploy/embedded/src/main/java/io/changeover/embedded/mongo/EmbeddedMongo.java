package io.changeover.embedded.mongo;

import java.nio.file.Path;
import java.util.Objects;

/**
 * An in-JVM MongoDB replica-set member for demos and tests: the primary of a one-node replica set, reachable with
 * the MongoDB Java driver and Debezium's MongoDB connector as a real replica set is ({@code hello}, cluster times,
 * change streams on collections, databases and the whole deployment, resume tokens, await-data, a bounded oplog).
 * Built on mongo-java-server's memory backend. Transactions are not supported. See the module README for what it
 * does not do.
 *
 * <pre>{@code
 * try (EmbeddedMongo mongo = EmbeddedMongo.start();
 *      MongoClient client = MongoClients.create(mongo.connectionString())) { ... }
 * }</pre>
 */
public final class EmbeddedMongo implements AutoCloseable {

    /** Default oplog capacity in entries. */
    private static final int DEFAULT_OPLOG_CAPACITY = 1_000_000;

    private final ReplicaSetMember member;
    private final ReplicaSetBackend backend;
    private final ReplicaSetServer server;
    private final DataDirectory dataDirectory;
    private final int port;
    private boolean closed;

    private EmbeddedMongo(Builder builder) {
        member = new ReplicaSetMember(builder.replicaSetName);
        backend = new ReplicaSetBackend(member, builder.oplogCapacity, defaultOplogBytes());
        dataDirectory = builder.dataDirectory == null ? null : new DataDirectory(builder.dataDirectory);
        if (dataDirectory != null) {
            dataDirectory.restoreInto(backend);
        }
        server = new ReplicaSetServer(backend);
        port = server.bind(builder.port);
        member.boundTo(port);
    }

    /** Starts a member of replica set {@code rs0} on a free port, in memory only. */
    public static EmbeddedMongo start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code mongodb://localhost:<port>/?replicaSet=<name>} */
    public String connectionString() {
        return "mongodb://localhost:" + port + "/?replicaSet=" + member.setName();
    }

    public int port() {
        return port;
    }

    /** Disconnects clients, saves the data directory if one is configured, and stops. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.shutdown();
            if (dataDirectory != null) {
                dataDirectory.save(backend);
            }
        } finally {
            backend.close();
        }
    }

    /** The oplog's byte budget: a quarter of the maximum heap, at most 512 MiB. */
    private static long defaultOplogBytes() {
        return Math.min(512L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 4);
    }

    /** Options for {@link EmbeddedMongo}. */
    public static final class Builder {
        private String replicaSetName = "rs0";
        private int port;
        private int oplogCapacity = DEFAULT_OPLOG_CAPACITY;
        private Path dataDirectory;

        private Builder() {
        }

        /** Replica set name reported by {@code hello} and used in the connection string (default {@code rs0}). */
        public Builder replicaSetName(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("replicaSetName must not be blank");
            }
            this.replicaSetName = name;
            return this;
        }

        /** Port on localhost; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * How many oplog entries to keep (default 1,000,000); older ones are trimmed, and
         * resuming a change stream from before the oldest kept entry fails with ChangeStreamHistoryLost (286).
         */
        public Builder oplogCapacity(int entries) {
            if (entries < 1) {
                throw new IllegalArgumentException("oplogCapacity must be at least 1 entry, got " + entries);
            }
            this.oplogCapacity = entries;
            return this;
        }

        /** Keep data and oplog in this directory: loaded at start, saved at {@link #close()}. Optional. */
        public Builder dataDirectory(Path directory) {
            this.dataDirectory = Objects.requireNonNull(directory, "dataDirectory");
            return this;
        }

        public EmbeddedMongo start() {
            return new EmbeddedMongo(this);
        }
    }
}
