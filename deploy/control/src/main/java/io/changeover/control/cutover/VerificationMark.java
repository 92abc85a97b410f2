package io.changeover.control.cutover;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.TopicPartition;
import org.bson.BsonArray;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

import io.changeover.control.state.MetadataDocuments;


/**
 * The last full verification that found no difference, in the target's metadata collection:
 * {@code {_id: "verification:full", migration, at, rawOffsets: [{topic, partition, offset}]}} — the raw topics' end
 * offsets taken before it started, so every change after them is re-verified by the next changed-only verification.
 */
public final class VerificationMark {
    static final String ID = "verification:full";

    private VerificationMark() {
    }

    public static void save(MetadataDocuments metadata, String migration, Map<TopicPartition, Long> offsets) {
        BsonArray raw = new BsonArray();
        offsets.forEach((tp, offset) -> raw.add(new BsonDocument("topic", new BsonString(tp.topic()))
                .append("partition", new BsonInt32(tp.partition())).append("offset", new BsonInt64(offset))));
        metadata.put(ID, new BsonDocument("_id", new BsonString(ID))
                .append("migration", new BsonString(migration))
                .append("at", new BsonDateTime(Instant.now().toEpochMilli()))
                .append("rawOffsets", raw));
    }

    /** The offsets of the last full verification, with its time; empty when there was none. */
    public static Optional<Mark> load(MetadataDocuments metadata) {
        BsonDocument doc = metadata.find(ID).orElse(null);
        if (doc == null) {
            return Optional.empty();
        }
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (BsonValue v : doc.getArray("rawOffsets")) {
            BsonDocument d = v.asDocument();
            offsets.put(new TopicPartition(d.getString("topic").getValue(), d.getInt32("partition").getValue()),
                    d.getInt64("offset").getValue());
        }
        return Optional.of(new Mark(Instant.ofEpochMilli(doc.getDateTime("at").getValue()), offsets));
    }

    /** A full verification: when, and the raw offsets it covered. */
    public record Mark(Instant at, Map<TopicPartition, Long> offsets) {
    }
}
