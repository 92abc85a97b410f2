package io.changeover.embedded.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka cluster on this machine: {@code nodes} KRaft nodes (broker and controller each), each a process of its
 * own on loopback ({@link ClusterNode}), replication factor 3 and {@code min.insync.replicas} 2. For the fault suite
 * (one node can be killed with SIGKILL and restarted on its data) and for users who want to try a real cluster on one
 * machine ({@code changeover cluster}). Node logs are in {@code <dir>/node-<id>.out}.
 */
public final class LocalKafkaCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaCluster.class);
    private static final Duration READY = Duration.ofMinutes(2);
    private final Path dir;
    private final String clusterId;
    private final List<Integer> brokerPorts;
    private final List<Integer> controllerPorts;
    private final Process[] processes;

    private LocalKafkaCluster(Path dir, int nodes) {
        this.dir = dir;
        this.clusterId = Uuid.randomUuid().toString();
        this.brokerPorts = freePorts(nodes);
        this.controllerPorts = freePorts(nodes);
        this.processes = new Process[nodes];
    }

    /** Starts {@code nodes} nodes with their data under {@code dir} and waits until every broker serves. */
    public static LocalKafkaCluster start(Path dir, int nodes) {
        LocalKafkaCluster cluster = new LocalKafkaCluster(dir, nodes);
        try {
            for (int id = 1; id <= nodes; id++) {
                cluster.startNode(id);
            }
            cluster.awaitBrokers(nodes);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        LOG.info("local Kafka cluster of {} nodes at {}", nodes, cluster.bootstrapServers());
        return cluster;
    }

    public String bootstrapServers() {
        return brokerPorts.stream().map(p -> "localhost:" + p).collect(Collectors.joining(","));
    }

    public int nodes() {
        return processes.length;
    }

    /** SIGKILL of one node: no clean shutdown, no flush. */
    public void kill(int nodeId) throws InterruptedException {
        Process p = processes[nodeId - 1];
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    /** Starts a killed node again on its data, and waits until every broker serves. */
    public void restart(int nodeId) {
        startNode(nodeId);
        awaitBrokers(processes.length);
    }

    private void startNode(int id) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-Dchangeover.log.dir=" + dir.resolve("node-" + id + "-log").toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), ClusterNode.class.getName(),
                String.valueOf(id), dir.resolve("node-" + id).toString(), clusterId, join(brokerPorts), join(controllerPorts)));
        try {
            Files.createDirectories(dir);
            processes[id - 1] = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node-" + id + ".out").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Kafka node " + id + ": " + e.getMessage(), e);
        }
    }

    /** Waits until {@code count} brokers are registered and answer metadata requests. */
    private void awaitBrokers(int count) {
        long deadline = System.nanoTime() + READY.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < processes.length; i++) {
                if (processes[i] != null && !processes[i].isAlive()) {
                    throw new IllegalStateException("Kafka node " + (i + 1) + " exited with " + processes[i].exitValue()
                            + ": see " + dir.resolve("node-" + (i + 1) + ".out"));
                }
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000))) {
                int live = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
                if (live >= count) {
                    return;
                }
                last = live + " of " + count + " brokers registered";
            } catch (Exception e) {
                last = e.getMessage();
            }
            try {
                Thread.sleep(500);   // the nodes elect a controller and register on their own
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the local Kafka cluster", e);
            }
        }
        throw new IllegalStateException("the local Kafka cluster was not ready within " + READY.toSeconds() + " s ("
                + last + "): see " + dir.resolve("node-*.out") + nodeOutputTails());
    }

    /** The last lines of each node's output: a test's directory is gone by the time anyone reads the failure. */
    private String nodeOutputTails() {
        StringBuilder tails = new StringBuilder();
        for (int id = 1; id <= processes.length; id++) {
            Path out = dir.resolve("node-" + id + ".out");
            try {
                List<String> lines = Files.exists(out) ? Files.readAllLines(out) : List.of();
                tails.append("\n--- node ").append(id).append(processes[id - 1] != null && processes[id - 1].isAlive()
                        ? " (running)" : " (not running)").append(", last lines of ").append(out).append(":\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
            } catch (IOException | java.io.UncheckedIOException e) {
                tails.append("\n--- node ").append(id).append(": cannot read ").append(out).append(": ").append(e.getMessage());
            }
        }
        return tails.toString();
    }

    /** Stops every node (SIGTERM: a clean shutdown), then kills what is still running after 30 s. */
    @Override
    public void close() {
        for (Process p : processes) {
            if (p != null) {
                p.destroy();
            }
        }
        for (Process p : processes) {
            if (p == null) {
                continue;
            }
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    private static String join(List<Integer> ports) {
        return ports.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static List<Integer> freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket s = new ServerSocket(0);
                s.setReuseAddress(true);
                sockets.add(s);
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local ports", e);
        } finally {
            for (ServerSocket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // the port is free again either way
                }
            }
        }
    }
}
