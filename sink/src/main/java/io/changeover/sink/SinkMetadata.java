package io.changeover.sink;

import java.util.Date;

import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonTimestamp;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;

import io.changeover.transform.format.SourcePosition;

/**
 * The sink's documents in the target's metadata collection ({@code docs/metadata.md}): one {@code migration}
 * document (name, spec checksum, schema version) and one {@code sink.position.<collection>} document per target
 * collection holding the last applied source position. Positions only move forward ({@code $max}).
 */
public final class SinkMetadata implements AppliedPositionLog {
    /** Version of the layout of the metadata documents themselves. */
    public static final int LAYOUT_VERSION = 1;
    /** {@code _id} of the migration document. */
    public static final String MIGRATION_ID = "migration";
    /** {@code _id} prefix of the per-collection position documents. */
    public static final String POSITION_ID_PREFIX = "sink.position.";

    private static final String CANONICAL_FORM = "canonicalForm";
    private static final UpdateOptions UPSERT = new UpdateOptions().upsert(true);
    private final MongoCollection<BsonDocument> metadata;

    public SinkMetadata(MongoDatabase target, String collection, WriteConcern writeConcern) {
        this.metadata = target.getCollection(collection, BsonDocument.class).withWriteConcern(writeConcern);
    }

    /**
     * Records which migration writes this target, with which spec, towards which schema version, with which canonical
     * form of content-derived ids. When {@code hashesIds} (the spec has a {@code rehash-id} step), a migration in
     * flight whose recorded form differs is refused: its ids would change. A migration recorded before forms were
     * recorded ran with {@code v0}.
     *
     * @throws IllegalStateException naming both forms, when refused
     */
    public void registerMigration(String name, String specChecksum, String schemaVersion, String canonicalForm,
            boolean hashesIds) {
        BsonDocument existing = metadata.find(Filters.eq("_id", MIGRATION_ID)).first();
        if (existing != null && hashesIds) {
            String recorded = existing.isString(CANONICAL_FORM) ? existing.getString(CANONICAL_FORM).getValue() : "v0";
            if (!recorded.equals(canonicalForm)) {
                throw new IllegalStateException("migration '" + name + "' is in flight with canonical form "
                        + recorded + " and the spec asks for " + canonicalForm + ": its rehash-id ids would change."
                        + " Put 'canonical: " + recorded + "' in the spec to go on, or replay into a new target to"
                        + " move to " + canonicalForm + " (docs/canonical-form.md)");
            }
        }
        BsonDocument set = new BsonDocument("kind", new BsonString("migration"))
                .append(CANONICAL_FORM, new BsonString(canonicalForm))
                .append("name", new BsonString(name))
                .append("specChecksum", new BsonString(specChecksum == null ? "" : specChecksum))
                .append("schemaVersion", new BsonString(schemaVersion))
                .append("layoutVersion", new BsonInt32(LAYOUT_VERSION))
                .append("sinkStartedAt", now());
        metadata.updateOne(Filters.eq("_id", MIGRATION_ID), new BsonDocument("$set", set)
                .append("$setOnInsert", new BsonDocument("createdAt", now())), UPSERT);
    }

    /** Records that every record of {@code collection} up to {@code position} is applied and acknowledged. */
    @Override
    public void applied(String collection, SourcePosition position) {
        BsonDocument max = new BsonDocument("positionValue", new BsonInt64(position.value()))
                .append("position", new BsonTimestamp(position.value()));
        BsonDocument set = new BsonDocument("kind", new BsonString("sink.position"))
                .append("collection", new BsonString(collection)).append("updatedAt", now());
        metadata.updateOne(Filters.eq("_id", POSITION_ID_PREFIX + collection),
                new BsonDocument("$max", max).append("$set", set), UPSERT);
    }

    /** The last applied position of {@code collection} ({@link SourcePosition#ZERO} when none). */
    public SourcePosition appliedPosition(String collection) {
        BsonDocument doc = metadata.find(Filters.eq("_id", POSITION_ID_PREFIX + collection)).first();
        return doc == null || !doc.isNumber("positionValue") ? SourcePosition.ZERO
                : new SourcePosition(doc.getNumber("positionValue").longValue());
    }

    private static BsonDateTime now() {
        return new BsonDateTime(new Date().getTime());
    }
}
