package io.changeover.transform.topics;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

class TopicSafetyCheckTest {
    @Test
    void aFiniteRetentionWhereRecordsAreKeptForeverLosesData() {
        assertThat(TopicSafetyCheck.violation(TopicConfig.RETENTION_MS_CONFIG, "-1", "604800000"))
                .hasValueSatisfying(why -> assertThat(why).contains("retention.ms is 604800000", "needs -1"));
        assertThat(TopicSafetyCheck.violation(TopicConfig.RETENTION_BYTES_CONFIG, "-1", "1073741824")).isPresent();
        assertThat(TopicSafetyCheck.violation(TopicConfig.RETENTION_MS_CONFIG, "-1", "-1")).isEmpty();
    }

    @Test
    void anotherCleanupPolicyLosesData() {
        assertThat(TopicSafetyCheck.violation(TopicConfig.CLEANUP_POLICY_CONFIG, "delete", "compact"))
                .hasValueSatisfying(why -> assertThat(why).contains("keeps only the last record of each key"));
        assertThat(TopicSafetyCheck.violation(TopicConfig.CLEANUP_POLICY_CONFIG, "compact", "compact,delete"))
                .hasValueSatisfying(why -> assertThat(why).contains("compaction"));
        assertThat(TopicSafetyCheck.violation(TopicConfig.CLEANUP_POLICY_CONFIG, "compact", "delete"))
                .hasValueSatisfying(why -> assertThat(why).contains("deletion by retention"));
        assertThat(TopicSafetyCheck.violation(TopicConfig.CLEANUP_POLICY_CONFIG, "compact", " compact")).isEmpty();
    }

    @Test
    void tombstonesKeptShorterThanNeededLoseDeletesAndLongerIsFine() {
        String week = String.valueOf(TopicProvisioner.TOMBSTONE_RETENTION_MS);
        assertThat(TopicSafetyCheck.violation(TopicConfig.DELETE_RETENTION_MS_CONFIG, week, "86400000"))
                .hasValueSatisfying(why -> assertThat(why).contains("delete.retention.ms is 86400000", week));
        assertThat(TopicSafetyCheck.violation(TopicConfig.DELETE_RETENTION_MS_CONFIG, week, "2592000000")).isEmpty();
    }

    @Test
    void settingsThatOnlyMakeWritesFailAreLeftToTheWrite() {
        assertThat(TopicSafetyCheck.violation(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "67108864", "1048588")).isEmpty();
    }
}
