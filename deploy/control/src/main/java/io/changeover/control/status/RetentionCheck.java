package io.changeover.control.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Warns when a replay from the raw topics would be incomplete: a raw topic that has already deleted records, or one
 * whose retention will delete them (raw topics are created with {@code retention.ms=-1}; someone may change that).
 */
public final class RetentionCheck {
    private final KafkaOffsets offsets;

    public RetentionCheck(KafkaOffsets offsets) {
        this.offsets = offsets;
    }

    public List<String> warnings(List<String> rawTopics) {
        return warnings(offsets.ranges(rawTopics), offsets.retentionMs(rawTopics));
    }

    /** Pure: the warnings for given ranges and retention settings. */
    public static List<String> warnings(Map<String, KafkaOffsets.TopicRange> ranges, Map<String, Long> retentionMs) {
        List<String> warnings = new ArrayList<>();
        ranges.forEach((topic, range) -> {
            if (range.earliest() > 0) {
                warnings.add("replay incomplete: raw topic " + topic + " no longer holds its first " + range.earliest()
                        + " record(s) (deleted by retention)");
            }
        });
        retentionMs.forEach((topic, ms) -> {
            if (ms >= 0) {
                warnings.add("replay at risk: raw topic " + topic + " has retention.ms=" + ms
                        + "; records older than that will be deleted (set retention.ms=-1 to keep replay possible)");
            }
        });
        warnings.sort(String::compareTo);
        return warnings;
    }
}
