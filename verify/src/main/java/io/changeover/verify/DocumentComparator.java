package io.changeover.verify;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Field-level comparison of two documents. Field order does not count; numbers of different BSON types (int32,
 * int64, double, decimal128) are equal when their values are, if numeric widening is allowed.
 */
public final class DocumentComparator {
    private final boolean numericWidening;

    public DocumentComparator(boolean numericWidening) {
        this.numericWidening = numericWidening;
    }

    /** Dotted paths at which {@code expected} and {@code actual} differ, in sorted order; empty when equal. */
    public List<String> differences(BsonDocument expected, BsonDocument actual) {
        List<String> paths = new ArrayList<>();
        compareDocuments("", expected, actual, paths);
        return paths;
    }

    public boolean equal(BsonDocument expected, BsonDocument actual) {
        return differences(expected, actual).isEmpty();
    }

    private void compareDocuments(String prefix, BsonDocument expected, BsonDocument actual, List<String> paths) {
        Set<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (String key : keys) {
            compare(prefix + key, expected.get(key), actual.get(key), paths);
        }
    }

    private void compare(String path, BsonValue expected, BsonValue actual, List<String> paths) {
        if (expected == null || actual == null) {
            if (expected != actual) {
                paths.add(path);
            }
            return;
        }
        if (expected.isDocument() && actual.isDocument()) {
            compareDocuments(path + ".", expected.asDocument(), actual.asDocument(), paths);
        } else if (expected.isArray() && actual.isArray()) {
            compareArrays(path, expected.asArray(), actual.asArray(), paths);
        } else if (!scalarEqual(expected, actual)) {
            paths.add(path);
        }
    }

    private void compareArrays(String path, BsonArray expected, BsonArray actual, List<String> paths) {
        if (expected.size() != actual.size()) {
            paths.add(path);
            return;
        }
        for (int i = 0; i < expected.size(); i++) {
            compare(path + "." + i, expected.get(i), actual.get(i), paths);
        }
    }

    private boolean scalarEqual(BsonValue expected, BsonValue actual) {
        if (numericWidening && expected.isNumber() && actual.isNumber()) {
            return decimal(expected).compareTo(decimal(actual)) == 0;
        }
        return expected.equals(actual);
    }

    private static BigDecimal decimal(BsonValue number) {
        if (number.isDouble()) {
            return BigDecimal.valueOf(number.asDouble().getValue());
        }
        if (number.isDecimal128()) {
            return number.asDecimal128().getValue().bigDecimalValue();
        }
        return BigDecimal.valueOf(number.asNumber().longValue());
    }
}
