package io.changeover.app;

import io.changeover.stages.StopSignal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.changeover.embedded.kafka.LocalKafkaCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A real Kafka cluster on this machine, to try stages as processes on more than one broker (docs/processes.md):
 * KRaft nodes as processes of their own on loopback, replication factor 3, {@code min.insync.replicas} 2.
 */
@Command(name = "cluster", description = "Start a local Kafka cluster: KRaft nodes as separate processes on loopback"
        + " (replication 3, min.insync.replicas 2), until stopped (Ctrl-C).")
final class ClusterCommand implements Callable<Integer> {
    @Option(names = "--dir", required = true, description = "Directory for the nodes' data and logs (kept on stop).")
    Path dir;

    @Option(names = "--nodes", defaultValue = "3", description = "Nodes (default ${DEFAULT-VALUE}; at least 3 for"
            + " replication 3).")
    int nodes;

    @Override
    public Integer call() throws Exception {
        if (nodes < 1) {
            System.err.println("cluster: --nodes must be at least 1, got " + nodes);
            return 64;
        }
        StopSignal stop = StopSignal.onShutdown();
        try (LocalKafkaCluster cluster = LocalKafkaCluster.start(dir, nodes)) {
            System.out.println("Kafka cluster of " + nodes + " nodes: bootstrap.servers " + cluster.bootstrapServers());
            System.out.println("node logs: " + dir.resolve("node-<id>.out") + "; stop with Ctrl-C");
            while (!stop.await(Duration.ofSeconds(1))) {
                // serving until stopped
            }
            return 0;
        } finally {
            stop.done();
        }
    }
}
