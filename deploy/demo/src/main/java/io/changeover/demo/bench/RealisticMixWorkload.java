package io.changeover.demo.bench;

import java.util.SplittableRandom;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;

import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.WriteModel;

import io.changeover.demo.sample.SampleDataset;

/**
 * What services write to the demo's jobs: 30 % inserts of completed jobs (0–3 references to earlier jobs), 55 %
 * updates of fields outside every id hash (status spelled another way, progress, results), 10 % replaces that keep
 * the identity fields, 5 % deletes. Nothing it writes changes a target id.
 */
final class RealisticMixWorkload implements BenchWorkload {
    private static final String[] STATUSES = {"completed", "COMPLETED", "done", "Done"};
    private final SampleDataset dataset;
    private final LiveJobs jobs;
    private final SplittableRandom random;
    private long changes;

    RealisticMixWorkload(SampleDataset dataset, LiveJobs jobs, SplittableRandom random) {
        this.dataset = dataset;
        this.jobs = jobs;
        this.random = random;
    }

    @Override
    public String name() {
        return "mix";
    }

    @Override
    public WriteModel<BsonDocument> next(BsonDocument stamp) {
        changes++;
        int dice = random.nextInt(100);
        if (dice < 30) {
            return new InsertOneModel<>(completed(jobs.insert(), stamp));
        }
        if (dice < 95) {
            int index = jobs.pick();
            if (index < 0) {
                return new InsertOneModel<>(completed(jobs.insert(), stamp));
            }
            if (dice < 85) {
                BsonDocument set = stamp.clone().append("status", new BsonString(STATUSES[random.nextInt(STATUSES.length)]))
                        .append("progress", new BsonInt32(random.nextInt(101)))
                        .append("results.summary", new BsonString("hits " + changes));
                return new UpdateOneModel<>(Filters.eq("_id", dataset.id(index)), new BsonDocument("$set", set));
            }
            return new ReplaceOneModel<>(Filters.eq("_id", dataset.id(index)), completed(index, stamp)
                    .append("progress", new BsonInt32(100)).append("results", new BsonDocument("summary",
                            new BsonString("replaced " + changes))));
        }
        int index = jobs.delete();
        return index < 0 ? null : new DeleteOneModel<>(Filters.eq("_id", dataset.id(index)));
    }

    private BsonDocument completed(int index, BsonDocument stamp) {
        BsonDocument job = dataset.document(index).append("status", new BsonString("completed"));
        stamp.forEach(job::put);
        return job;
    }
}
