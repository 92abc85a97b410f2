package io.changeover.transform.format;

import java.util.Map;

import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;

/**
 * A producer {@link Partitioner} that places raw records as capture does ({@link RawRecords#partition}): by the
 * identity of the key's id. For any producer other than capture that writes raw topics (tools, tests, a replay into
 * a topic with another partition count); records with an explicit partition (ticks, snapshot ends) keep it.
 */
public final class RawPartitioner implements Partitioner {
    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        if (keyBytes == null) {
            throw new IllegalArgumentException("a raw record without a key (a tick or a snapshot end) is sent to an "
                    + "explicit partition; topic " + topic);
        }
        return RawRecords.partition(RawRecords.id(keyBytes), cluster.partitionCountForTopic(topic));
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
