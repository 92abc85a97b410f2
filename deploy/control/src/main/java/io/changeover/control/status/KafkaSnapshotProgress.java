package io.changeover.control.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.ToLongFunction;


import io.changeover.transform.spec.CollectionSpec;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.topics.Topics;

/**
 * Snapshot progress seen from another process: the records in each collection's raw topic against the source's
 * estimated document count. While snapshotting, nearly every raw record is a snapshot read (changes made meanwhile
 * are counted too, so this is an estimate); once the migration is streaming, snapshots are done.
 */
public final class KafkaSnapshotProgress implements SnapshotProgress {
    private final MigrationSpec spec;
    private final KafkaOffsets offsets;
    private final ToLongFunction<String> estimatedCount;
    private final BooleanSupplier streaming;

    /**
     * @param streaming whether the migration's state says the snapshot is done
     */
    public KafkaSnapshotProgress(MigrationSpec spec, KafkaOffsets offsets, ToLongFunction<String> estimatedCount,
            BooleanSupplier streaming) {
        this.spec = spec;
        this.offsets = offsets;
        this.estimatedCount = estimatedCount;
        this.streaming = streaming;
    }

    @Override
    public List<Collection> collections() {
        Topics topics = Topics.of(spec.name());
        List<String> raw = spec.collections().stream().map(c -> topics.raw(spec.source().database(), c.source())).toList();
        Map<String, KafkaOffsets.TopicRange> ranges = offsets.ranges(raw);
        boolean done = streaming.getAsBoolean();
        List<Collection> result = new ArrayList<>();
        for (CollectionSpec c : spec.collections()) {
            long estimate = estimatedCount.applyAsLong(c.source());
            KafkaOffsets.TopicRange range = ranges.get(topics.raw(spec.source().database(), c.source()));
            long records = range == null ? 0 : range.latest();
            result.add(new Collection(c.source(), estimate, Math.min(records, estimate), -1, done));
        }
        return result;
    }
}
