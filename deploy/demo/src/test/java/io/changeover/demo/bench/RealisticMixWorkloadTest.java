package io.changeover.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.WriteModel;

import io.changeover.demo.sample.SampleDataset;

class RealisticMixWorkloadTest {
    private static final SampleDataset DATASET = new SampleDataset(3, 2_000);
    private static final BsonDocument STAMP = new BsonDocument(PacedBulkWriter.SENT_AT, new BsonInt64(1));

    @Test
    void aMixOfInsertsUpdatesReplacesAndDeletesThatKeepsEveryIdentityField() {
        SplittableRandom random = new SplittableRandom(5);
        RealisticMixWorkload mix = new RealisticMixWorkload(DATASET, new LiveJobs(DATASET, DATASET.size(), random), random);
        Map<Class<?>, Integer> kinds = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            WriteModel<BsonDocument> write = mix.next(STAMP);
            kinds.merge(write.getClass(), 1, Integer::sum);
            if (write instanceof UpdateOneModel<BsonDocument> update) {
                assertThat(((BsonDocument) update.getUpdate()).getDocument("$set").keySet())
                        .doesNotContain("type", "job_type", "owner", "created", "input_data")
                        .noneMatch(k -> k.startsWith("input_data."));
            }
            if (write instanceof ReplaceOneModel<BsonDocument> replace) {
                int index = indexOf(replace.getReplacement());
                BsonDocument original = DATASET.document(index);
                for (String field : new String[] {"job_type", "owner", "created", "input_data"}) {
                    assertThat(replace.getReplacement().get(field)).as(field).isEqualTo(original.get(field));
                }
            }
        }
        assertThat(kinds.get(InsertOneModel.class)).isBetween(2_800, 3_200);
        assertThat(kinds.get(UpdateOneModel.class)).isBetween(5_200, 5_800);
        assertThat(kinds.get(ReplaceOneModel.class)).isBetween(800, 1_200);
        assertThat(kinds.get(DeleteOneModel.class)).isBetween(350, 650);
    }

    @Test
    void theReKeyWorkloadChangesAnIdentityFieldEveryTime() {
        SplittableRandom random = new SplittableRandom(5);
        ReKeyWorkload rekey = new ReKeyWorkload(DATASET, new LiveJobs(DATASET, DATASET.size(), random));
        for (int i = 0; i < 100; i++) {
            UpdateOneModel<BsonDocument> update = (UpdateOneModel<BsonDocument>) rekey.next(STAMP);
            assertThat(((BsonDocument) update.getUpdate()).getDocument("$set").keySet()).contains("input_data.name");
        }
    }

    private static final Map<ObjectId, Integer> INDEXES = new HashMap<>();

    private static int indexOf(BsonDocument job) {
        if (INDEXES.isEmpty()) {
            for (int i = 0; i < DATASET.size() + 10_000; i++) {
                INDEXES.put(DATASET.id(i), i);
            }
        }
        Integer index = INDEXES.get(job.getObjectId("_id").getValue());
        assertThat(index).as("a dataset job: " + job.get("_id")).isNotNull();
        return index;
    }
}
