package io.changeover.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;

import io.changeover.transform.format.SourcePosition;
import io.changeover.embedded.mongo.MongoUnderTest;
import com.mongodb.client.MongoClients;

/** The position guard against a real target: nothing moves a document backwards (conditional writes). */
class BulkApplierIT {
    private static MongoUnderTest mongo;
    private static MongoClient client;
    private MongoDatabase target;
    private BulkApplier applier;

    @BeforeAll
    static void startMongo() {
        mongo = MongoUnderTest.start();
        client = MongoClients.create(mongo.uri());
    }

    @AfterAll
    static void stopMongo() {
        client.close();
        mongo.close();
    }

    @BeforeEach
    void newTarget(TestInfo test) {
        target = client.getDatabase("bulk_" + guard() + "_" + test.getTestMethod().orElseThrow().getName());
        applier = new BulkApplier(target, WriteConcern.MAJORITY, "changeover_tombstones", guard());
    }

    BulkApplier.Guard guard() {
        return BulkApplier.Guard.CONDITIONAL;
    }

    @Test
    void aRedeliveredOldVersionDoesNotOverwriteANewerOne() {
        applier.apply("c", List.of(upsert(1, "v2", 5)));

        AppliedBatch redelivered = applier.apply("c", List.of(upsert(1, "v1", 3), upsert(2, "new", 4)));

        assertThat(states()).isEqualTo(Map.of(1, "v2", 2, "new"));
        assertThat(redelivered.stale()).isEqualTo(1);
        assertThat(redelivered.upserts()).isEqualTo(1);
    }

    @Test
    void anOlderUpsertReplayedAfterADeleteDoesNotResurrectTheDocument() {
        applier.apply("c", List.of(upsert(1, "v1", 1), upsert(2, "v1", 2)));
        applier.apply("c", List.of(delete(1, 3)));

        AppliedBatch replayed = applier.apply("c", List.of(upsert(1, "v1", 1)));

        assertThat(states()).isEqualTo(Map.of(2, "v1"));
        assertThat(replayed.stale()).isEqualTo(1);
    }

    @Test
    void aDeleteOlderThanTheStoredVersionKeepsTheDocument() {
        applier.apply("c", List.of(upsert(1, "v3", 7)));

        applier.apply("c", List.of(delete(1, 6)));

        assertThat(states()).isEqualTo(Map.of(1, "v3"));
    }

    @Test
    void aNewerUpsertAfterADeleteRecreatesTheDocument() {
        applier.apply("c", List.of(upsert(1, "v1", 1)));
        applier.apply("c", List.of(delete(1, 2)));

        applier.apply("c", List.of(upsert(1, "again", 3)));

        assertThat(states()).isEqualTo(Map.of(1, "again"));
    }

    @Test
    void replayingEveryRecordInAnyBatchingLeavesTheTargetUnchanged() {
        List<OutputRecord> history = new ArrayList<>();
        int position = 0;
        for (int round = 0; round < 3; round++) {
            for (int id = 0; id < 10; id++) {
                history.add(++position % 4 == 0 ? delete(id, position) : upsert(id, "r" + round, position));
            }
        }
        applyInBatches(history, 7);
        Map<Integer, String> once = states();

        applyInBatches(history, 1);
        applyInBatches(history, 4);

        assertThat(states()).isEqualTo(once);
        assertThat(once).isNotEmpty();
    }

    @Test
    void aReplayAtTheSamePositionsWritesTheReplayedContent() {
        applier.apply("c", List.of(upsert(1, "old transform", 5)));

        applier.apply("c", List.of(upsert(1, "new transform", 5)));

        assertThat(states()).isEqualTo(Map.of(1, "new transform"));
    }

    @Test
    void aValueTwoRecordsOfABatchClaimIsAConflictNamingItsHolderAndTheRestIsWritten() {
        target.getCollection("c").createIndex(Indexes.ascending("state"), new IndexOptions().unique(true));

        AppliedBatch batch = applier.apply("c", List.of(upsert(1, "same", 1), upsert(2, "same", 2),
                upsert(3, "other", 3)));

        assertThat(batch.rejected()).isEmpty();
        assertThat(batch.conflicts()).hasSize(1);
        int refused = batch.conflicts().get(0).record().id().asInt32().getValue();
        assertThat(batch.conflicts().get(0).reason()).contains("11000", "state_1",
                "held by target document _id " + (3 - refused));
        assertThat(states()).isEqualTo(Map.of(3 - refused, "same", 3, "other"));
    }

    @Test
    void documentsHandingAUniqueValueOnInOneBatchAreAllWrittenWhateverTheOrder() {
        target.getCollection("c").createIndex(Indexes.ascending("state"), new IndexOptions().unique(true));
        applier.apply("c", List.of(upsert(1, "e1", 1), upsert(2, "e2", 2)));

        // 1 hands e1 on to 2: the unordered bulk write may try 2 first, while 1 still holds e1
        AppliedBatch batch = applier.apply("c", List.of(upsert(2, "e1", 4), upsert(1, "e3", 3)));

        assertThat(batch.rejected()).isEmpty();
        assertThat(batch.conflicts()).isEmpty();
        assertThat(batch.upserts()).isEqualTo(2);
        assertThat(states()).isEqualTo(Map.of(1, "e3", 2, "e1"));
    }

    @Test
    void anExistingDocumentRefusedAValueAnotherKeepsIsAConflictNotAnEndlessRetry() {
        target.getCollection("c").createIndex(Indexes.ascending("state"), new IndexOptions().unique(true));
        applier.apply("c", List.of(upsert(1, "e1", 1), upsert(2, "e2", 2)));

        AppliedBatch batch = applier.apply("c", List.of(upsert(2, "e1", 3)));

        assertThat(batch.conflicts()).extracting(c -> c.record().id()).containsExactly(new BsonInt32(2));
        assertThat(batch.conflicts().get(0).reason()).contains("held by target document _id 1");
        assertThat(states()).isEqualTo(Map.of(1, "e1", 2, "e2"));
    }

    @Test
    void aDocumentWithDollarPrefixedTopLevelNamesIsWrittenExactlyAsANewDocumentAndOverAnExistingOne() {
        BsonDocument first = new BsonDocument("_id", new BsonInt32(1)).append("$price", new BsonInt32(5))
                .append("a", new BsonString("$notAPath"))
                .append("nested", new BsonDocument("$add", new BsonArray(List.of(new BsonInt32(1), new BsonInt32(2)))))
                .append("list", new BsonArray(List.of(new BsonDocument("$x", new BsonString("$$ROOT")))));
        AppliedBatch created = applier.apply("c", List.of(record(first, 1), upsert(2, "plain", 2)));

        assertThat(created.rejected()).isEmpty();
        assertThat(created.upserts()).isEqualTo(2);
        assertStoredExactly(first, 1);

        BsonDocument second = new BsonDocument("_id", new BsonInt32(1)).append("$currency", new BsonString("EUR"))
                .append("$price", new BsonInt64(6)).append("b", new BsonString("$$ROOT"));
        BsonDocument overPlain = new BsonDocument("_id", new BsonInt32(2)).append("$state", new BsonString("was plain"))
                .append("$p.q", new BsonInt32(1));
        AppliedBatch replaced = applier.apply("c", List.of(record(second, 3), record(overPlain, 4)));

        assertThat(replaced.rejected()).isEmpty();
        assertThat(replaced.upserts()).isEqualTo(2);
        assertStoredExactly(second, 3);
        assertStoredExactly(overPlain, 4);
    }

    @Test
    void aDocumentWithDottedTopLevelNamesIsWrittenExactlyAsANewDocumentAndOverAnExistingOne() {
        BsonDocument first = new BsonDocument("_id", new BsonInt32(1)).append("a.b", new BsonInt32(1))
                .append("a", new BsonDocument("b", new BsonInt32(2)));
        AppliedBatch created = applier.apply("c", List.of(record(first, 1)));

        assertThat(created.rejected()).isEmpty();
        assertStoredExactly(first, 1);

        BsonDocument second = new BsonDocument("_id", new BsonInt32(1)).append("a.b", new BsonInt32(3))
                .append("x.y.z", new BsonString("w"));
        AppliedBatch replaced = applier.apply("c", List.of(record(second, 2)));

        assertThat(replaced.rejected()).isEmpty();
        assertStoredExactly(second, 2);
    }

    @Test
    void aStaleRecordOfADollarNamedDocumentDoesNotOverwriteANewerOne() {
        BsonDocument first = new BsonDocument("_id", new BsonInt32(1)).append("$price", new BsonInt32(4));
        BsonDocument newer = new BsonDocument("_id", new BsonInt32(1)).append("$price", new BsonInt32(6));
        applier.apply("c", List.of(record(first, 1)));
        applier.apply("c", List.of(record(newer, 5)));   // over the stored one (each guard replaces here)
        BsonDocument older = new BsonDocument("_id", new BsonInt32(1)).append("$price", new BsonInt32(5));

        // the stale record after another one: its refusal must be told apart from the write that landed
        AppliedBatch batch = applier.apply("c", List.of(upsert(2, "fresh", 4), record(older, 3)));

        assertThat(batch.stale()).isEqualTo(1);
        assertThat(batch.upserts()).isEqualTo(1);
        assertThat(batch.rejected()).isEmpty();
        assertThat(batch.conflicts()).isEmpty();
        assertStoredExactly(newer, 5);
        assertStoredExactly(doc(2, "fresh"), 4);
    }

    @Test
    void aDocumentTooLargeForTheTargetIsRejectedWithTheReasonAndTheRestIsWritten() {
        applier.apply("c", List.of(upsert(2, "before", 1)));
        BsonDocument huge = doc(2, "huge").append("blob", new BsonBinary(new byte[16 * 1024 * 1024]));

        AppliedBatch batch = applier.apply("c", List.of(upsert(1, "v1", 2), record(huge, 3), upsert(3, "v3", 4)));

        assertThat(batch.rejected()).extracting(r -> r.record().id()).containsExactly(new BsonInt32(2));
        assertThat(batch.rejected().get(0).reason()).contains("too large", "16 MiB");
        assertThat(states()).isEqualTo(Map.of(1, "v1", 2, "before", 3, "v3"));
    }

    @Test
    void aDocumentTheDriverRefusesToSendIsRejectedWithTheReasonAndTheRestIsWritten() {
        applier.apply("c", List.of(upsert(2, "before", 1)));
        // A name with a NUL cannot be encoded (BSON names end at a NUL), so no topic record carries one; built here
        // to show that whatever the driver refuses while encoding the bulk costs only its own record.
        BsonDocument unsendable = doc(2, "nul").append("a\u0000b", new BsonInt32(5));
        OutputRecord refused = new OutputRecord("t", 0, 3, new BsonInt32(2), unsendable, position(3), 64);

        AppliedBatch batch = applier.apply("c", List.of(upsert(1, "v1", 2), refused, upsert(3, "v3", 4)));

        assertThat(batch.rejected()).extracting(r -> r.record().id()).containsExactly(new BsonInt32(2));
        assertThat(batch.rejected().get(0).reason()).contains("driver refuses", "null character");
        assertThat(states()).isEqualTo(Map.of(1, "v1", 2, "before", 3, "v3"));
    }

    @Test
    void aDocumentTheDriverRefusesToSendAloneInItsBatchIsRejectedNotThrown() {
        BsonDocument unsendable = doc(1, "nul").append("a\u0000b", new BsonInt32(5));
        OutputRecord refused = new OutputRecord("t", 0, 1, new BsonInt32(1), unsendable, position(1), 64);

        AppliedBatch batch = applier.apply("c", List.of(refused));

        assertThat(batch.rejected()).extracting(r -> r.record().id()).containsExactly(new BsonInt32(1));
        assertThat(batch.rejected().get(0).reason()).contains("driver refuses", "null character");
        assertThat(states()).isEmpty();
    }

    @Test
    void theStoredDocumentIsTheRecordPlusItsPosition() {
        applier.apply("c", List.of(upsert(1, "v1", 9)));

        BsonDocument stored = target.getCollection("c", BsonDocument.class).find().first();

        assertThat(PositionGuard.of(stored)).isEqualTo(position(9));
        assertThat(PositionGuard.unstamped(stored)).isEqualTo(doc(1, "v1"));
    }

    /** The stored document is {@code expected}, field for field in the same order and types, plus its position. */
    private void assertStoredExactly(BsonDocument expected, int position) {
        BsonDocument stored = target.getCollection("c", BsonDocument.class)
                .find(new BsonDocument("_id", expected.get("_id"))).first();
        assertThat(stored).as("stored document _id " + expected.get("_id")).isNotNull();
        List<String> names = new ArrayList<>(expected.keySet());
        names.add(PositionGuard.FIELD);
        assertThat(stored.keySet()).containsExactlyElementsOf(names);
        assertThat(PositionGuard.unstamped(stored)).isEqualTo(expected);
        assertThat(PositionGuard.of(stored)).isEqualTo(position(position));
    }

    private void applyInBatches(List<OutputRecord> records, int size) {
        for (int from = 0; from < records.size(); from += size) {
            applier.apply("c", records.subList(from, Math.min(records.size(), from + size)));
        }
    }

    private Map<Integer, String> states() {
        Map<Integer, String> states = new TreeMap<>();
        for (BsonDocument d : target.getCollection("c", BsonDocument.class).find()) {
            states.put(d.getInt32("_id").getValue(), d.getString("state").getValue());
        }
        return states;
    }

    private static BsonDocument doc(int id, String state) {
        return new BsonDocument("_id", new BsonInt32(id)).append("state", new BsonString(state));
    }

    private static SourcePosition position(int increment) {
        return SourcePosition.of(1_763_718_000, increment);
    }

    private static OutputRecord upsert(int id, String state, int position) {
        BsonDocument doc = doc(id, state);
        return new OutputRecord("t", 0, position, new BsonInt32(id), doc, position(position),
                io.changeover.transform.format.OutputRecords.value(doc).length);
    }

    private static OutputRecord record(BsonDocument doc, int position) {
        return new OutputRecord("t", 0, position, doc.get("_id"), doc, position(position),
                io.changeover.transform.format.OutputRecords.value(doc).length);
    }

    private static OutputRecord delete(int id, int position) {
        return new OutputRecord("t", 0, position, new BsonInt32(id), null, position(position), 0);
    }
}
