package io.changeover.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import io.changeover.transform.topics.Topics;

class RecordRouterTest {
    private final Topics topics = Topics.of("m");
    private final RecordRouter router = new RecordRouter(topics,
            List.of(new SourceCollection("legacy", "jobs"), new SourceCollection("legacy", "jobs.archive")));

    @Test
    void changeEventGoesToTheRawTopicOfItsCollection() {
        RoutedRecord route = router.route(TestRecords.change("legacy", "jobs", "c", "false", 10, 1, "{}"));

        assertThat(route).isEqualTo(new RoutedRecord.Change(topics.raw("legacy", "jobs"),
                new SourceCollection("legacy", "jobs"), "c", false, false));
    }

    @Test
    void collectionNamesWithDotsAreTakenFromTheEventNotTheDebeziumTopic() {
        RoutedRecord route = router.route(TestRecords.change("legacy", "jobs.archive", "u", "false", 10, 1, "{}"));

        assertThat(route.topic()).isEqualTo(topics.raw("legacy", "jobs.archive"));
    }

    @Test
    void snapshotReadsAreMarkedAndTheLastOneIsRecognized() {
        RoutedRecord.Change read = (RoutedRecord.Change) router.route(
                TestRecords.change("legacy", "jobs", "r", "true", 10, 1, "{}"));
        RoutedRecord.Change last = (RoutedRecord.Change) router.route(
                TestRecords.change("legacy", "jobs", "r", "last", 10, 1, "{}"));

        assertThat(read.snapshot()).isTrue();
        assertThat(read.lastOfSnapshot()).isFalse();
        assertThat(last.snapshot()).isTrue();
        assertThat(last.lastOfSnapshot()).isTrue();
    }

    @Test
    void heartbeatGoesToTheHeartbeatTopic() {
        assertThat(router.route(TestRecords.heartbeat(10, 0))).isEqualTo(new RoutedRecord.Heartbeat(topics.heartbeat()));
    }

    @Test
    void aCollectionOutsideTheSpecFailsNamingIt() {
        assertThatThrownBy(() -> router.route(TestRecords.change("legacy", "Jobs", "c", "false", 10, 1, "{}")))
                .isInstanceOf(CaptureException.class)
                .hasMessageContaining("legacy.Jobs")
                .hasMessageContaining("not in the spec");
    }

    @Test
    void aRecordThatIsNeitherChangeNorHeartbeatFailsNamingItsTopic() {
        SourceRecord odd = new SourceRecord(Map.of(), Map.of(), "changeover-m.transaction", null,
                Schema.STRING_SCHEMA, "x", Schema.STRING_SCHEMA, "y");

        assertThatThrownBy(() -> router.route(odd))
                .isInstanceOf(CaptureException.class)
                .hasMessageContaining("changeover-m.transaction");
    }
}
