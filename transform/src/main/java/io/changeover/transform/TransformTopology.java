package io.changeover.transform;

import java.util.HashSet;
import java.util.Set;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

import io.changeover.transform.engine.CollectionTransform;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecException;
import io.changeover.transform.stream.ChangeProcessor;
import io.changeover.transform.topics.Topics;

/**
 * Builds the transform's Kafka Streams topology: for each spec collection, its raw topic is read, each change event
 * is transformed, and the result is written to the output topic of the target collection (tombstones for deletes and
 * for documents filtered out); unreadable or untransformable records go to the dead-letter topic. A changelogged store
 * per collection remembers the target id last written for each source id. Deterministic: no clock, no randomness.
 */
public final class TransformTopology {
    private TransformTopology() {
    }

    /** The topology with default settings. */
    public static Topology build(MigrationSpec spec) {
        return build(spec, TransformConfig.of(spec));
    }

    public static Topology build(MigrationSpec spec, TransformConfig config) {
        return build(CompiledSpec.compile(spec), config);
    }

    public static Topology build(CompiledSpec compiled, TransformConfig config) {
        MigrationSpec spec = compiled.spec();
        Topics topics = Topics.of(spec.name());
        Topology topology = new Topology();
        Set<String> nodeNames = new HashSet<>();
        for (CollectionTransform transform : compiled.collections()) {
            String name = nodeName(transform.source());
            if (!nodeNames.add(name)) {
                throw new SpecException(spec.origin() + ": collection '" + transform.source()
                        + "' has the same topology name '" + name + "' as another collection; rename one of them");
            }
            addCollection(topology, topics, spec, transform, name, config);
        }
        return topology;
    }

    /** The name of the store of source id to last target key, for one source collection. */
    public static String idStoreName(String sourceCollection) {
        return "ids-" + nodeName(sourceCollection);
    }

    private static void addCollection(Topology topology, Topics topics, MigrationSpec spec,
                                      CollectionTransform transform, String name, TransformConfig config) {
        ChangeProcessor.Names names = new ChangeProcessor.Names(
                "raw-" + name, "transform-" + name, idStoreName(transform.source()), "out-" + name, "dlq-" + name);
        topology.addSource(names.source(), new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                topics.raw(spec.source().database(), transform.source()));
        topology.addProcessor(names.processor(), ChangeProcessor.supplier(transform, names, spec.checksum()), names.source());
        topology.addStateStore(Stores.keyValueStoreBuilder(storeSupplier(names.store(), config),
                Serdes.ByteArray(), Serdes.ByteArray()), names.processor());
        topology.addSink(names.output(), topics.output(transform.target()),
                new ByteArraySerializer(), new ByteArraySerializer(), names.processor());
        topology.addSink(names.deadLetter(), topics.deadLetter(),
                new ByteArraySerializer(), new ByteArraySerializer(), names.processor());
    }

    private static KeyValueBytesStoreSupplier storeSupplier(String name, TransformConfig config) {
        return config.inMemoryStores() ? Stores.inMemoryKeyValueStore(name) : Stores.persistentKeyValueStore(name);
    }

    private static String nodeName(String collection) {
        StringBuilder sb = new StringBuilder(collection.length());
        for (char c : collection.toCharArray()) {
            sb.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-') ? c : '_');
        }
        return sb.toString();
    }
}
