package io.changeover.sink;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.BsonValue;

/**
 * Keeps the last record per {@code _id} of a batch given in read order. An unordered bulk write does not keep the
 * order of its operations, so a batch must not hold two operations on one document; and only the last state of a
 * document matters to the target.
 */
public final class BatchCollapser {
    private BatchCollapser() {
    }

    /**
     * The last record of each {@code _id}, in the order of those last records. Records of one {@code _id} come from
     * one partition (output topics are keyed by {@code _id}), so "last" is the highest offset.
     */
    public static List<OutputRecord> lastPerId(List<OutputRecord> inReadOrder) {
        Map<BsonValue, OutputRecord> last = new LinkedHashMap<>(inReadOrder.size() * 2);
        for (OutputRecord record : inReadOrder) {
            last.remove(record.id());
            last.put(record.id(), record);
        }
        return new ArrayList<>(last.values());
    }
}
