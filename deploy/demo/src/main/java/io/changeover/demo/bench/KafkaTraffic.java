package io.changeover.demo.bench;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;

import io.changeover.control.status.KafkaOffsets;
import io.changeover.transform.topics.Topics;

/**
 * How far every topic of a migration advanced (end offsets summed over partitions; transaction markers count, they
 * are writes too), grouped by kind: raw, remap, resolved, dedupe, output, the transform's changelogs, and the rest.
 * Divided by the changes a phase wrote, it says what one source change costs in Kafka writes. Read at rest (before
 * a phase, at zero lag), where the committed end is the end.
 */
final class KafkaTraffic {
    private final Admin admin;
    private final KafkaOffsets offsets;
    private final String prefix;
    private final String changelogPrefix;

    KafkaTraffic(Admin admin, Topics topics) {
        this.admin = admin;
        this.offsets = new KafkaOffsets(admin);
        this.prefix = "changeover." + topics.migration() + ".";
        this.changelogPrefix = topics.transformApplicationId() + "-";
    }

    /** End offsets per kind now. */
    Map<String, Long> ends() {
        Set<String> names = new TreeSet<>();
        try {
            for (String name : admin.listTopics().names().get(15, TimeUnit.SECONDS)) {
                if (name.startsWith(prefix) || name.startsWith(changelogPrefix)) {
                    names.add(name);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list topics: " + e, e);
        }
        Map<String, Long> ends = new TreeMap<>();
        offsets.ranges(names).forEach((topic, range) -> ends.merge(kind(topic), range.latest(), Long::sum));
        return ends;
    }

    /** Per kind, how far it advanced from {@code before} to {@code after}, per change. */
    static Map<String, Double> perChange(Map<String, Long> before, Map<String, Long> after, long changes) {
        Map<String, Double> per = new TreeMap<>();
        after.forEach((kind, end) -> per.put(kind, changes == 0 ? 0 : (end - before.getOrDefault(kind, 0L)) / (double) changes));
        return per;
    }

    private String kind(String topic) {
        if (topic.startsWith(changelogPrefix)) {
            return topic.endsWith("-changelog") ? "changelog" : "streams-internal";
        }
        String rest = topic.substring(prefix.length());
        int dot = rest.indexOf('.');
        String kind = dot < 0 ? rest : rest.substring(0, dot);
        return switch (kind) {
            case "raw", "remap", "resolved", "dedupe", "out" -> kind;
            default -> "other";
        };
    }
}
