package io.changeover.control.lag;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.changeover.transform.TransformTopology;
import io.changeover.transform.engine.CollectionTransform;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.topics.Topics;

/**
 * Which topics carry which source collection's changes, for lag: its raw topic (the changes themselves), the
 * transform's internal topics derived from them, and the output topics of its target collections. Every source
 * collection the transform reads has one: migrated collections in spec order, then side collections read by
 * {@code lookup} only (their changes reach the target through the documents that look them up).
 */
record LagTopics(List<Collection> collections, List<String> rawTopics, List<String> internalTopics,
                 List<String> outputTopics) {

    /** One source collection's topics. */
    record Collection(String name, List<String> targets, String raw, Set<String> internal, Set<String> outputs) {
    }

    static LagTopics of(MigrationSpec spec) {
        CompiledSpec compiled = CompiledSpec.compile(spec);
        Topics topics = Topics.of(spec.name());
        String database = spec.source().database();
        Map<String, List<String>> targets = new LinkedHashMap<>();
        Map<String, Set<String>> internal = new HashMap<>();
        for (CollectionTransform t : compiled.collections()) {
            targets.put(t.source(), t.targets());
        }
        for (CollectionTransform t : compiled.collections()) {
            t.lookupSources().forEach(side -> targets.putIfAbsent(side, List.of()));
            if (!t.remapSources().isEmpty()) {
                internal.computeIfAbsent(t.source(), c -> new LinkedHashSet<>()).add(topics.resolved(t.source()));
            }
            t.remapSources().forEach(from -> internal.computeIfAbsent(from, c -> new LinkedHashSet<>()).add(topics.remap(from)));
            if (t.ownership().isPresent()) {
                internal.computeIfAbsent(t.source(), c -> new LinkedHashSet<>()).add(topics.dedupe(t.source()));
            }
        }
        List<Collection> collections = new ArrayList<>();
        targets.forEach((name, into) -> {
            Set<String> outputs = new LinkedHashSet<>();
            into.forEach(target -> outputs.add(topics.output(target)));
            collections.add(new Collection(name, into, topics.raw(database, name), internal.getOrDefault(name, Set.of()), outputs));
        });
        List<String> raw = collections.stream().map(Collection::raw).toList();
        List<String> inputs = TransformTopology.inputTopics(compiled);
        return new LagTopics(collections, raw, inputs.stream().filter(t -> !raw.contains(t)).toList(),
                TransformTopology.outputTopics(compiled));
    }

    /** Every topic the transform reads. */
    List<String> transformInputs() {
        List<String> all = new ArrayList<>(rawTopics);
        all.addAll(internalTopics);
        return all;
    }
}
