package io.changeover.transform;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

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
import io.changeover.transform.stream.DedupeProcessor;
import io.changeover.transform.stream.IdRemapProcessor;
import io.changeover.transform.stream.LookupJoinProcessor;
import io.changeover.transform.stream.SideCollections;
import io.changeover.transform.topics.Topics;

/**
 * Builds the transform's Kafka Streams topology. For each spec collection: its raw topic is read by a
 * {@link ChangeProcessor}, which writes target documents (tombstones for deletes and for documents filtered out) to
 * the output topic of each target collection, and records it cannot read or transform to the dead-letter topic.
 * Around it, only where the spec needs them:
 * <ul>
 *   <li>a collection that others {@code remap} from publishes its id mappings to {@code remap.<collection>}, read by
 *       an {@link IdRemapProcessor} that also takes the requests of referencing documents and answers them on
 *       {@code resolved.<referencing>}, which the referencing collection's processor reads beside its raw topic;</li>
 *   <li>a collection that dedupes writes candidates to {@code dedupe.<collection>}, read by a {@link DedupeProcessor}
 *       that writes the combined document to the output topic.</li>
 * </ul>
 * Every store is changelogged. Deterministic: no clock, no randomness.
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
        Map<String, List<String>> referencedBy = referencedBy(compiled);
        for (CollectionTransform transform : SideCollections.sidesFirst(compiled)) {
            String name = nodeName(transform.source());
            if (!nodeNames.add(name)) {
                throw new SpecException(spec.origin() + ": collection '" + transform.source()
                        + "' has the same topology name '" + name + "' as another collection; rename one of them");
            }
            new Builder(topology, topics, compiled, transform, name, config)
                    .add(referencedBy.getOrDefault(transform.source(), List.of()));
        }
        return topology;
    }

    /** The name of the store of source id to last target (collection and key), for one source collection. */
    public static String idStoreName(String sourceCollection) {
        return "ids-" + nodeName(sourceCollection);
    }

    /** The ID-remap store of one referenced source collection: source key to its last mapping (BSON). */
    public static String remapStoreName(String sourceCollection) {
        return "remap-ids-" + nodeName(sourceCollection);
    }

    /** For each referenced collection, the collections whose remap steps point at it. */
    private static Map<String, List<String>> referencedBy(CompiledSpec compiled) {
        Map<String, List<String>> referencedBy = new LinkedHashMap<>();
        for (CollectionTransform transform : compiled.collections()) {
            for (String from : transform.remapSources()) {
                referencedBy.computeIfAbsent(from, k -> new ArrayList<>()).add(transform.source());
            }
        }
        return referencedBy;
    }

    /** Adds the nodes of one collection. */
    private record Builder(Topology topology, Topics topics, CompiledSpec compiled, CollectionTransform transform,
                           String name, TransformConfig config) {
        void add(List<String> referencedBy) {
            MigrationSpec spec = compiled.spec();
            String processor = "transform-" + name;
            Map<String, String> outputs = outputSinks();
            String dedupe = transform.ownership().isPresent() ? "dedupe-out-" + name : null;
            String mappings = referencedBy.isEmpty() ? null : "remap-out-" + name;
            String watermarks = referencedBy.isEmpty() ? null : "watermark-out-" + name;
            Map<String, String> asks = new LinkedHashMap<>();
            transform.remapSources().forEach(from -> asks.put(from, "ask-" + name + "-" + nodeName(from)));
            boolean remaps = !asks.isEmpty();
            boolean joins = !transform.lookupSources().isEmpty();
            // one store of the last raw record per document: the lookup join's when there is one, else the remap's own
            String rawStore = joins ? "lookup-raw-" + name : "remap-docs-" + name;
            List<String> remapStores = remaps ? List.of(rawStore, "remap-refs-" + name, "remap-pending-" + name,
                    topics.remapWaitingStore(transform.source())) : List.of();
            ChangeProcessor.Wiring wiring = new ChangeProcessor.Wiring(idStoreName(transform.source()), outputs,
                    "dlq-" + name, dedupe, mappings, watermarks, asks, remaps ? topics.resolved(transform.source()) : null,
                    remapStores, joins);

            topology.addSource("raw-" + name, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                    topics.raw(spec.source().database(), transform.source()));
            Map<String, String> sideStores = new LinkedHashMap<>();
            transform.lookupSources().forEach(side -> sideStores.put(side, "side-" + name + "-" + nodeName(side)));
            List<String> parents = new ArrayList<>(List.of(sideStores.isEmpty() ? "raw-" + name : addLookupJoin(sideStores)));
            if (remaps) {
                topology.addSource("resolved-" + name, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                        topics.resolved(transform.source()));
                parents.add("resolved-" + name);
            }
            topology.addProcessor(processor, ChangeProcessor.supplier(transform, wiring, spec.checksum(),
                            config.objectStore().lazily(), sideStores),
                    parents.toArray(String[]::new));
            sideStores.values().forEach(s -> topology.connectProcessorAndStateStores(processor, s));
            store(idStoreName(transform.source()), processor);
            remapStores.stream().filter(s -> !s.equals("lookup-raw-" + name)).forEach(s -> store(s, processor));
            if (remaps && joins) {
                topology.connectProcessorAndStateStores(processor, rawStore);
            }
            sink("dlq-" + name, topics.deadLetter(), processor);
            asks.forEach((from, node) -> sink(node, topics.remap(from), processor));
            if (dedupe != null) {
                sink(dedupe, topics.dedupe(transform.source()), processor);
                addDedupe(outputs);
            } else {
                outputs.forEach((target, node) -> sink(node, topics.output(target), processor));
            }
            if (mappings != null) {
                sink(mappings, topics.remap(transform.source()), processor);
                topology.addSink(watermarks, topics.remap(transform.source()), new ByteArraySerializer(),
                        new ByteArraySerializer(), TransformTopology::everyPartition, processor);
                addIdRemap(referencedBy);
            }
        }

        /** The {@link LookupJoinProcessor} reading this collection's and its side collections' raw topics. */
        private String addLookupJoin(Map<String, String> sideStores) {
            String database = compiled.spec().source().database();
            Map<String, String> byTopic = new LinkedHashMap<>();
            List<String> parents = new ArrayList<>(List.of("raw-" + name));
            sideStores.forEach((side, store) -> {
                byTopic.put(topics.raw(database, side), store);
                parents.add("raw-" + nodeName(side));
            });
            String processor = "lookup-" + name;
            topology.addProcessor(processor, LookupJoinProcessor.supplier(new LookupJoinProcessor.Names(
                    topics.raw(database, transform.source()), "lookup-raw-" + name, byTopic)), parents.toArray(String[]::new));
            store("lookup-raw-" + name, processor);
            sideStores.values().forEach(store -> store(store, processor));
            return processor;
        }

        private Map<String, String> outputSinks() {
            Map<String, String> outputs = new LinkedHashMap<>();
            List<String> targets = transform.targets();
            for (int i = 0; i < targets.size(); i++) {
                outputs.put(targets.get(i), "out-" + name + (i == 0 ? "" : "-" + i));
            }
            return outputs;
        }

        private void addDedupe(Map<String, String> outputs) {
            String processor = "dedupe-" + name;
            topology.addSource("dedupe-in-" + name, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                    topics.dedupe(transform.source()));
            topology.addProcessor(processor, DedupeProcessor.supplier(transform.source(), transform.ownership().orElseThrow(),
                    new DedupeProcessor.Names("dedupe-" + name, outputs, "dedupe-dlq-" + name), compiled.spec().checksum()),
                    "dedupe-in-" + name);
            store("dedupe-" + name, processor);
            outputs.forEach((target, node) -> sink(node, topics.output(target), processor));
            sink("dedupe-dlq-" + name, topics.deadLetter(), processor);
        }

        private void addIdRemap(List<String> referencedBy) {
            String processor = "remap-" + name;
            Map<String, String> answers = new LinkedHashMap<>();
            referencedBy.forEach(c -> answers.put(c, "answer-" + name + "-" + nodeName(c)));
            topology.addSource("remap-in-" + name, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                    topics.remap(transform.source()));
            topology.addProcessor(processor, IdRemapProcessor.supplier(transform.source(),
                    new IdRemapProcessor.Names(remapStoreName(transform.source()), "remap-subscribers-" + name,
                            "remap-watermarks-" + name, "remap-open-" + name, answers)),
                    "remap-in-" + name);
            store(remapStoreName(transform.source()), processor);
            store("remap-subscribers-" + name, processor);
            store("remap-watermarks-" + name, processor);
            store("remap-open-" + name, processor);
            answers.forEach((c, node) -> sink(node, topics.resolved(c), processor));
        }

        private void store(String storeName, String processor) {
            // cached: several writes of one key within a commit interval reach RocksDB and the changelog once
            topology.addStateStore(Stores.keyValueStoreBuilder(storeSupplier(storeName, config),
                    Serdes.ByteArray(), Serdes.ByteArray()).withCachingEnabled(), processor);
        }

        private void sink(String node, String topic, String processor) {
            topology.addSink(node, topic, new ByteArraySerializer(), new ByteArraySerializer(), processor);
        }
    }

    /** A watermark goes to every partition of the remap topic: each holds requests that wait on every raw partition. */
    private static Optional<Set<Integer>> everyPartition(String topic, byte[] key, byte[] value, int partitions) {
        return Optional.of(IntStream.range(0, partitions).boxed().collect(Collectors.toSet()));
    }

    /**
     * Every topic the transform reads for a spec: raw topics, and the internal remap, resolved and dedupe topics its
     * steps need. Its lag is the consumer-group lag on all of them: a record on an internal topic is work not done.
     */
    public static List<String> inputTopics(CompiledSpec compiled) {
        MigrationSpec spec = compiled.spec();
        Topics topics = Topics.of(spec.name());
        Set<String> inputs = new java.util.LinkedHashSet<>();
        for (CollectionTransform transform : compiled.collections()) {
            inputs.add(topics.raw(spec.source().database(), transform.source()));
            transform.lookupSources().forEach(side -> inputs.add(topics.raw(spec.source().database(), side)));
            if (!transform.remapSources().isEmpty()) {
                inputs.add(topics.resolved(transform.source()));
            }
            transform.remapSources().forEach(from -> inputs.add(topics.remap(from)));
            if (transform.ownership().isPresent()) {
                inputs.add(topics.dedupe(transform.source()));
            }
        }
        return List.copyOf(inputs);
    }

    /**
     * The topics of how many documents wait for {@code remap} answers ({@link Topics#remapWaiting}), one per collection
     * with {@code remap} steps: work the transform holds that its input topics no longer show, read by lag.
     */
    public static List<String> remapWaitingTopics(CompiledSpec compiled) {
        Topics topics = Topics.of(compiled.spec().name());
        return compiled.collections().stream().filter(c -> !c.remapSources().isEmpty())
                .map(c -> topics.remapWaiting(c.source())).toList();
    }

    /** Every output topic the transform writes for a spec: one per target collection, routes included. */
    public static List<String> outputTopics(CompiledSpec compiled) {
        Topics topics = Topics.of(compiled.spec().name());
        return compiled.collections().stream().flatMap(c -> c.targets().stream()).distinct().map(topics::output).toList();
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
