package io.changeover.embedded.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.common.utils.Time;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

/**
 * One node of a local Kafka cluster, run as a process of its own by {@link LocalKafkaCluster}: KRaft, broker and
 * controller in one, replication factor 3 and {@code min.insync.replicas} 2 for every topic (the transaction and
 * offsets logs too), on loopback. Runs until the process is stopped (SIGTERM shuts the broker down cleanly).
 *
 * <p>Arguments: {@code <node id> <data dir> <cluster id> <broker ports, comma-separated> <controller ports,
 * comma-separated>}; node ids are 1..n in port order.
 */
public final class ClusterNode {
    private ClusterNode() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: ClusterNode <node id> <data dir> <cluster id> <broker ports> <controller ports>");
            System.exit(64);
        }
        int nodeId = Integer.parseInt(args[0]);
        Path dir = Path.of(args[1]);
        List<Integer> brokers = ports(args[3]);
        List<Integer> controllers = ports(args[4]);
        Properties props = properties(nodeId, dir, brokers, controllers);
        format(props, dir, args[2]);
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
        }, "cluster-node-shutdown"));
        server.startup();
        System.out.println("node " + nodeId + " listening on localhost:" + brokers.get(nodeId - 1));
        server.awaitShutdown();
    }

    static Properties properties(int nodeId, Path dir, List<Integer> brokers, List<Integer> controllers) {
        List<String> voters = new ArrayList<>();
        for (int i = 0; i < controllers.size(); i++) {
            voters.add((i + 1) + "@localhost:" + controllers.get(i));
        }
        int replicas = Math.min(3, brokers.size());
        String minIsr = String.valueOf(Math.max(1, replicas - 1));
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(nodeId));
        p.put("controller.quorum.voters", String.join(",", voters));
        p.put("listeners", "PLAINTEXT://localhost:" + brokers.get(nodeId - 1) + ",CONTROLLER://localhost:" + controllers.get(nodeId - 1));
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + brokers.get(nodeId - 1));
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dir.toAbsolutePath().toString());
        p.put("default.replication.factor", String.valueOf(replicas));
        p.put("min.insync.replicas", minIsr);
        p.put("offsets.topic.replication.factor", String.valueOf(replicas));
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", String.valueOf(replicas));
        p.put("transaction.state.log.min.isr", minIsr);
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", String.valueOf(replicas));
        p.put("share.coordinator.state.topic.min.isr", minIsr);
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.cleaner.dedupe.buffer.size", "4194304");
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        // a replica of a killed node is dropped from the ISR after this, so writes with min.insync 2 go on
        p.put("replica.lag.time.max.ms", "10000");
        p.put("message.max.bytes", String.valueOf(64 * 1024 * 1024));
        p.put("replica.fetch.max.bytes", String.valueOf(64 * 1024 * 1024));
        return p;
    }

    private static void format(Properties props, Path dir, String clusterId) throws IOException {
        Files.createDirectories(dir);
        Path config = dir.resolve("server.properties");
        try (var out = Files.newOutputStream(config)) {
            props.store(out, "Changeover local cluster node");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", config.toString(), "--ignore-formatted"},
                    new PrintStream(output, true, StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka storage in " + dir + ": " + e.getMessage() + "\n"
                    + output.toString(StandardCharsets.UTF_8), e);
        }
    }

    private static List<Integer> ports(String list) {
        List<Integer> ports = new ArrayList<>();
        for (String p : list.split(",")) {
            ports.add(Integer.parseInt(p.trim()));
        }
        return ports;
    }
}
