package io.changeover.demo.chaos;

import java.time.Duration;
import java.util.Random;

import io.changeover.embedded.kafka.LocalKafkaCluster;

/** SIGKILL of one Kafka node, picked at random; started again on its data after {@code down}. */
record KillBrokerFault(LocalKafkaCluster cluster, Duration down, Random random) implements Fault {
    @Override
    public String inject() throws InterruptedException {
        int node = 1 + random.nextInt(cluster.nodes());
        cluster.kill(node);
        Thread.sleep(down.toMillis());   // the fault: the node stays dead this long
        cluster.restart(node);
        return "SIGKILL Kafka node " + node + ", started again on its data after " + down.toSeconds() + " s";
    }
}
