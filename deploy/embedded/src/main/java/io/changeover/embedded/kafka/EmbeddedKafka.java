package io.changeover.embedded.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) running in this JVM.
 *
 * <p>Replication factors are 1 and the transaction log's min ISR is 1, so {@code exactly_once_v2} works on one node.
 * {@link #close()} is idempotent and also runs from a shutdown hook, so a program that fails after starting the
 * broker still exits.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final Path logDir;
    private final boolean deleteOnClose;
    private final int brokerPort;
    private final KafkaRaftServer server;
    private final Thread shutdownHook;
    private volatile boolean closed;

    private EmbeddedKafka(Path logDir, boolean deleteOnClose) {
        this.logDir = logDir;
        this.deleteOnClose = deleteOnClose;
        this.brokerPort = freePort();
        int controllerPort = freePort();
        Properties props = brokerProperties(logDir, brokerPort, controllerPort);
        format(props, logDir);
        this.server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
        this.shutdownHook = new Thread(this::stop, "embedded-kafka-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            server.startup();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOG.info("Embedded Kafka broker listening on {}", bootstrapServers());
    }

    /** Starts a broker whose data lives in a temporary directory deleted on close. */
    public static EmbeddedKafka start() {
        try {
            return new EmbeddedKafka(Files.createTempDirectory("changeover-kafka"), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for Kafka", e);
        }
    }

    /** Starts a broker whose data lives in {@code dir} and is kept on close. */
    public static EmbeddedKafka start(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create Kafka data directory " + dir, e);
        }
        return new EmbeddedKafka(dir, false);
    }

    public String bootstrapServers() {
        return "localhost:" + brokerPort;
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run
        }
    }

    private synchronized void stop() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Embedded Kafka did not shut down cleanly", e);
        }
        if (deleteOnClose) {
            deleteRecursively(logDir);
        }
    }

    private static Properties brokerProperties(Path logDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toAbsolutePath().toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.cleaner.dedupe.buffer.size", "4194304");
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        // MongoDB documents reach 16 MiB (more as extended JSON); Changeover's topics allow 64 MiB records.
        p.put("message.max.bytes", String.valueOf(64 * 1024 * 1024));
        return p;
    }

    private static void format(Properties props, Path logDir) {
        try {
            Path config = Files.createTempFile("changeover-kafka", ".properties");
            try (var out = Files.newOutputStream(config)) {
                props.store(out, "embedded Kafka");
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(),
                    "--ignore-formatted"}, new PrintStream(output, true, StandardCharsets.UTF_8));
            LOG.debug("Kafka storage format: {}", output.toString(StandardCharsets.UTF_8).trim());
            Files.deleteIfExists(config);
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka storage in " + logDir + ": " + e.getMessage(), e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("could not delete {}", dir, e);
        }
    }
}
