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
     * The last record of each {@code _id}, in the order of those last records: the one with the newest source
     * position, the last read among equals. Records of one {@code _id} come from one partition (output topics are keyed
     * by {@code _id}), usually in position order; a record read after a newer one of its document (delivered again,
     * or replayed) must not replace it, as the position guard would refuse it if written alone.
     */
    public static List<OutputRecord> lastPerId(List<OutputRecord> inReadOrder) {
        Map<BsonValue, OutputRecord> last = new LinkedHashMap<>(inReadOrder.size() * 2);
        for (OutputRecord record : inReadOrder) {
            OutputRecord kept = last.get(record.id());
            if (kept == null || !supersedes(kept, record)) {
                last.remove(record.id());
                last.put(record.id(), record);
            }
        }
        return new ArrayList<>(last.values());
    }

    /**
     * Whether {@code kept}, read first, stays over {@code later}: when its source position is newer. Written one after
     * the other under the position guard, the newer would win whatever the order; a later record at an equal position
     * is a replay and wins, as the guard lets it.
     */
    public static boolean supersedes(OutputRecord kept, OutputRecord later) {
        return kept.position().compareTo(later.position()) > 0;
    }
}
