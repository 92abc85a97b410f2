package io.changeover.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

import io.changeover.transform.format.SourcePosition;

class HeldConflictsTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);
    private final HeldConflicts held = new HeldConflicts(10_000, 100, 1_000);

    @Test
    void aHeldRecordIsDueAfterTheBackoffWhichDoublesUpToTheMaximum() {
        held.hold("users", conflict(0, 5, 1, 5), 0);

        assertThat(held.takeDue(99, Set.of(P0))).isEmpty();
        HeldConflicts.Held first = held.takeDue(100, Set.of(P0)).get(0);
        assertThat(held.conflictedAgain(first, first.conflict(), 100)).isEmpty();
        assertThat(held.takeDue(299, Set.of(P0))).as("second wait: 200 ms").isEmpty();
        HeldConflicts.Held second = held.takeDue(300, Set.of(P0)).get(0);
        assertThat(second.attempts()).isEqualTo(1);
        assertThat(second.sinceMs()).isZero();
        for (int i = 0; i < 10; i++) {
            held.conflictedAgain(second, second.conflict(), 300);
            second = held.takeDue(300 + 1_000, Set.of(P0)).get(0);
        }
        assertThat(second.dueMs() - 300).as("never more than the maximum backoff").isEqualTo(1_000);
    }

    @Test
    void aRecordStillConflictingAfterTheTimeoutIsReturnedForTheDeadLetterTopic() {
        held.hold("users", conflict(0, 5, 1, 5), 0);
        HeldConflicts.Held taken = held.takeDue(100, Set.of(P0)).get(0);

        assertThat(held.conflictedAgain(taken, taken.conflict(), 10_000)).hasValueSatisfying(
                letter -> assertThat(letter.reason()).contains("E11000", "still refused after 10 s and 1 tries"));
        assertThat(held.size()).isZero();
        assertThat(held.lowestOffset(P0)).isEmpty();
    }

    @Test
    void offsetsAreHeldAtTheLowestHeldRecordOfEachPartition() {
        held.hold("users", conflict(0, 7, 1, 7), 0);
        held.hold("users", conflict(0, 4, 2, 4), 0);
        held.hold("users", conflict(1, 9, 3, 9), 0);

        assertThat(held.lowestOffset(P0)).hasValue(4);
        assertThat(held.lowestOffset(P1)).hasValue(9);
        assertThat(held.lowestOffset(new TopicPartition("t", 2))).isEmpty();
    }

    @Test
    void aNewerRefusedStateOfTheSameDocumentReplacesTheHeldOneAndAnOlderOneDoesNot() {
        held.hold("users", conflict(0, 4, 1, 4), 0);
        held.hold("users", conflict(0, 8, 1, 8), 50);
        held.hold("users", conflict(0, 6, 1, 6), 60);

        assertThat(held.size()).isEqualTo(1);
        assertThat(held.lowestOffset(P0)).hasValue(8);
        assertThat(held.takeDue(1_000, Set.of(P0)).get(0).sinceMs()).as("conflicting since the first").isZero();
    }

    @Test
    void recordsOfARevokedPartitionAreLetGoForItsNewOwner() {
        held.hold("users", conflict(1, 9, 3, 9), 0);

        assertThat(held.takeDue(1_000, Set.of(P0))).isEmpty();
        assertThat(held.size()).isZero();
    }

    private static AppliedBatch.Rejected conflict(int partition, long offset, int id, int position) {
        BsonDocument doc = new BsonDocument("_id", new BsonInt32(id)).append("email", new BsonString("e1"));
        OutputRecord record = new OutputRecord("t", partition, offset, new BsonInt32(id), doc,
                SourcePosition.of(1000, position), 40);
        return new AppliedBatch.Rejected(record, "E11000 duplicate key error collection: db.users index: email_1 "
                + "dup key: { email: \"e1\" }");
    }
}
