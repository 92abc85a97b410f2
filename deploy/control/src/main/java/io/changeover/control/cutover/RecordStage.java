package io.changeover.control.cutover;

import java.time.Duration;
import java.time.Instant;

import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;


import io.changeover.control.state.MetadataCollection;

/**
 * Stage 5: records the cutover in the target's metadata collection as the document {@code {_id: "cutover", migration,
 * at, sourcePosition, fenceId, specChecksum, verifiedDocuments, markersStripped}}, after removing what the sink left
 * for itself in the target ({@link SinkMarkers}): writes are fenced and everything before the fence is applied, so
 * the sink has nothing left to write.
 */
public final class RecordStage implements CutoverStage {
    static final String ID = "cutover";

    @Override
    public String name() {
        return "record";
    }

    @Override
    public String describe(CutoverContext context) {
        return "remove the sink's markers from the target; record the cutover (time, source position, spec checksum) in "
                + context.spec().target().database() + "." + MetadataCollection.name(context.spec());
    }

    @Override
    public String readiness(CutoverContext context) {
        return "runs last";
    }

    @Override
    public Duration timeout(CutoverOptions options) {
        return Duration.ofSeconds(30);
    }

    @Override
    public String run(CutoverContext context, Deadline deadline) {
        // a PostgreSQL target keeps the sink's bookkeeping in tables of its own, not in the migrated rows
        long stripped = context.spec().target().isRelational() ? 0
                : SinkMarkers.strip(context.target().getDatabase(context.spec().target().database()), context.spec());
        BsonDocument doc = new BsonDocument("_id", new BsonString(ID))
                .append("migration", new BsonString(context.spec().name()))
                .append("at", new BsonDateTime(Instant.now().toEpochMilli()))
                .append("sourcePosition", new BsonString(context.fencePosition().toString()))
                .append("fenceId", new BsonString(context.fenceId()))
                .append("specChecksum", new BsonString(context.spec().checksum()))
                .append("verifiedDocuments", new BsonInt64(context.verifiedDocuments()))
                .append("markersStripped", new BsonInt64(stripped));
        MetadataCollection.open(context.target(), context.spec()).put(ID, doc);
        return "recorded at source position " + context.fencePosition() + ", spec " + context.spec().checksum()
                + "; sink markers removed from " + stripped + " document(s)";
    }
}
