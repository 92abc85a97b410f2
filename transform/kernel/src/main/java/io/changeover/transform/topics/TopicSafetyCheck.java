package io.changeover.transform.topics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Refuses topics whose settings would lose what Changeover keeps in them: an existing topic (created by hand, by an
 * older version, or with the broker's defaults) is compared with the settings Changeover creates it with, and every
 * setting under which records or tombstones could be deleted before they are read fails the stage's start, naming
 * the topic, the setting, its value and the value needed. Settings that only make writes fail loudly (a smaller
 * {@code max.message.bytes}) are left to fail at the write.
 */
final class TopicSafetyCheck {
    private final Admin admin;

    TopicSafetyCheck(Admin admin) {
        this.admin = admin;
    }

    /** Throws {@link IllegalStateException} listing every setting of {@code topics} that would lose data. */
    void require(Collection<NewTopic> topics) throws InterruptedException, ExecutionException, TimeoutException {
        List<ConfigResource> resources = topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t.name())).toList();
        Map<ConfigResource, Config> actual = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
        List<String> problems = new ArrayList<>();
        for (NewTopic topic : topics) {
            Config config = actual.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
            topic.configs().forEach((key, wanted) -> {
                ConfigEntry entry = config == null ? null : config.get(key);
                violation(key, wanted, entry == null ? null : entry.value()).ifPresent(why -> problems.add(
                        "topic '" + topic.name() + "': " + why));
            });
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("existing topics would lose data Changeover keeps in them (see "
                    + "docs/topics.md#retention; change the setting with kafka-configs.sh --alter --entity-type topics "
                    + "--entity-name <topic> --add-config <key>=<value>, or delete the topic before the first start): "
                    + String.join("; ", problems));
        }
    }

    /** Why {@code actual} loses what {@code wanted} keeps, if it does. */
    static Optional<String> violation(String key, String wanted, String actual) {
        if (actual == null) {
            return Optional.empty();
        }
        switch (key) {
            case TopicConfig.RETENTION_MS_CONFIG, TopicConfig.RETENTION_BYTES_CONFIG -> {
                return "-1".equals(wanted) && !"-1".equals(actual)
                        ? Optional.of(key + " is " + actual + ", so records are deleted before every reader (a replay, a "
                        + "stage down for a while) has read them; needs -1")
                        : Optional.empty();
            }
            case TopicConfig.CLEANUP_POLICY_CONFIG -> {
                return policies(wanted).equals(policies(actual)) ? Optional.empty()
                        : Optional.of(key + " is " + actual + " where Changeover needs " + wanted
                        + (policies(actual).contains(TopicConfig.CLEANUP_POLICY_COMPACT)
                        ? " (compaction keeps only the last record of each key)"
                        : " (deletion by retention drops records no matter whether they were read)"));
            }
            case TopicConfig.DELETE_RETENTION_MS_CONFIG -> {
                return Long.parseLong(actual) < Long.parseLong(wanted)
                        ? Optional.of(key + " is " + actual + ", so a delete's tombstone may be compacted away before a "
                        + "stage that was down reads it; needs at least " + wanted)
                        : Optional.empty();
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private static Set<String> policies(String value) {
        Set<String> set = new HashSet<>();
        Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(set::add);
        return set;
    }
}
