package io.changeover.transform.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a composed YAML node tree, keeping line numbers for errors. Map keys are taken as written (always strings);
 * scalar values get their YAML types (int, float, bool, null, timestamp, string) from SnakeYAML's safe constructor.
 */
final class YamlTree {
    private static final int MAX_DEPTH = 64;
    private final String origin;
    private final ScalarConstructor scalars = new ScalarConstructor();

    YamlTree(String origin) {
        this.origin = origin;
    }

    /** {@code origin:line} of a node (lines counted from 1). */
    String at(Node node) {
        return origin + ":" + (node.getStartMark().getLine() + 1);
    }

    SpecException error(Node node, String message) {
        return new SpecException(at(node) + ": " + message);
    }

    /** The entries of a mapping node by key, in order; duplicate and non-scalar keys are errors. */
    Map<String, Node> entries(Node node, String what) {
        if (!(node instanceof MappingNode mapping)) {
            throw error(node, "expected " + what + " to be a map, got " + kind(node));
        }
        Map<String, Node> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node key = tuple.getKeyNode();
            if (!(key instanceof ScalarNode scalar)) {
                throw error(key, "expected a plain key in " + what + ", got " + kind(key));
            }
            if (entries.put(scalar.getValue(), tuple.getValueNode()) != null) {
                throw error(key, "duplicate key '" + scalar.getValue() + "' in " + what);
            }
        }
        return entries;
    }

    /** The key nodes of a mapping node by key text (for errors about a key). */
    Map<String, Node> keys(Node node) {
        Map<String, Node> keys = new LinkedHashMap<>();
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode scalar) {
                    keys.putIfAbsent(scalar.getValue(), scalar);
                }
            }
        }
        return keys;
    }

    List<Node> items(Node node, String what) {
        if (!(node instanceof SequenceNode sequence)) {
            throw error(node, "expected " + what + " to be a list, got " + kind(node));
        }
        return sequence.getValue();
    }

    /** The text of a scalar as written (for names and Kafka properties). */
    String text(Node node, String what) {
        if (!(node instanceof ScalarNode scalar) || isNull(node)) {
            throw error(node, "expected " + what + ", got " + kind(node));
        }
        return scalar.getValue();
    }

    /** A scalar's typed value: Integer, Long, BigInteger, Double, Boolean, String, Date or null. */
    Object scalar(Node node, String what) {
        if (!(node instanceof ScalarNode)) {
            throw error(node, "expected " + what + " to be a single value, got " + kind(node));
        }
        return value(node);
    }

    boolean isScalar(Node node) {
        return node instanceof ScalarNode;
    }

    boolean isNull(Node node) {
        return node instanceof ScalarNode && scalars.value(node) == null;
    }

    /** The whole value of a node: maps (string keys, in order), lists and typed scalars. */
    Object value(Node node) {
        return value(node, 0);
    }

    private Object value(Node node, int depth) {
        if (depth > MAX_DEPTH) {
            throw error(node, "nesting deeper than " + MAX_DEPTH + " levels (a recursive alias?)");
        }
        if (node instanceof MappingNode) {
            Map<String, Object> map = new LinkedHashMap<>();
            entries(node, "this map").forEach((k, v) -> map.put(k, value(v, depth + 1)));
            return map;
        }
        if (node instanceof SequenceNode sequence) {
            List<Object> list = new ArrayList<>();
            sequence.getValue().forEach(item -> list.add(value(item, depth + 1)));
            return list;
        }
        try {
            return scalars.value(node);
        } catch (YAMLException e) {
            throw error(node, "cannot read value: " + e.getMessage());
        }
    }

    static String kind(Node node) {
        if (node instanceof MappingNode) {
            return "a map";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        String value = ((ScalarNode) node).getValue();
        return value.isEmpty() ? "nothing" : "'" + value + "'";
    }

    /** SnakeYAML's safe constructor, used for one scalar at a time. */
    private static final class ScalarConstructor extends SafeConstructor {
        ScalarConstructor() {
            super(new LoaderOptions());
        }

        Object value(Node node) {
            return constructObject(node);
        }
    }
}
