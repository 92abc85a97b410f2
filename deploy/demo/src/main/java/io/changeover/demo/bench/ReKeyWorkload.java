package io.changeover.demo.bench;

import org.bson.BsonDocument;
import org.bson.BsonString;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.WriteModel;

import io.changeover.demo.sample.SampleDataset;

/**
 * Updates of identity fields only: each change renames a job's input ({@code input_data.name}, part of the demo's
 * rehash-id payload), so the job moves to a new target id and every job referring to it is rewritten.
 */
final class ReKeyWorkload implements BenchWorkload {
    private final SampleDataset dataset;
    private final LiveJobs jobs;
    private long changes;

    ReKeyWorkload(SampleDataset dataset, LiveJobs jobs) {
        this.dataset = dataset;
        this.jobs = jobs;
    }

    @Override
    public String name() {
        return "re-key";
    }

    @Override
    public WriteModel<BsonDocument> next(BsonDocument stamp) {
        int index = jobs.pick();
        if (index < 0) {
            return null;
        }
        BsonDocument set = stamp.clone().append("input_data.name", new BsonString("renamed-" + ++changes));
        return new UpdateOneModel<>(Filters.eq("_id", dataset.id(index)), new BsonDocument("$set", set));
    }
}
