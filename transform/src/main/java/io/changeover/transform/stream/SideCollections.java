package io.changeover.transform.stream;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.changeover.transform.engine.CollectionTransform;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.spec.SpecException;

/**
 * The order in which the topology adds collections when some look documents up in others: a side collection's raw
 * topic must be in the topology before the {@link LookupJoinProcessor} that reads it.
 */
public final class SideCollections {
    private SideCollections() {
    }

    /**
     * The spec's collections, each side collection before the collections that look it up, otherwise in spec order.
     * A lookup from a collection that is not in the spec (so is not captured), from itself, or in a cycle is a
     * {@link SpecException}.
     */
    public static List<CollectionTransform> sidesFirst(CompiledSpec compiled) {
        Map<String, CollectionTransform> bySource = new LinkedHashMap<>();
        compiled.collections().forEach(c -> bySource.put(c.source(), c));
        for (CollectionTransform c : bySource.values()) {
            for (String side : c.lookupSources()) {
                if (!bySource.containsKey(side) || side.equals(c.source())) {
                    throw new SpecException(compiled.spec().origin() + ", collection '" + c.source() + "': lookup from '"
                            + side + "': " + (side.equals(c.source()) ? "a collection cannot look itself up"
                            : "the side collection must be listed under collections (so that it is captured); give it "
                            + "a step that filters everything out if it should not be migrated itself"));
                }
            }
        }
        Set<String> placed = new LinkedHashSet<>();
        List<CollectionTransform> ordered = new ArrayList<>();
        for (CollectionTransform c : bySource.values()) {
            place(c, bySource, placed, new LinkedHashSet<>(), ordered, compiled);
        }
        return ordered;
    }

    private static void place(CollectionTransform c, Map<String, CollectionTransform> bySource, Set<String> placed,
                              Set<String> visiting, List<CollectionTransform> ordered, CompiledSpec compiled) {
        if (placed.contains(c.source())) {
            return;
        }
        if (!visiting.add(c.source())) {
            throw new SpecException(compiled.spec().origin() + ": lookups form a cycle: "
                    + String.join(" -> ", visiting) + " -> " + c.source());
        }
        for (String side : c.lookupSources()) {
            place(bySource.get(side), bySource, placed, visiting, ordered, compiled);
        }
        visiting.remove(c.source());
        placed.add(c.source());
        ordered.add(c);
    }
}
