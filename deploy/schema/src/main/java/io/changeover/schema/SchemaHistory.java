package io.changeover.schema;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;

/**
 * The schema history kept in a database's metadata collection: {@code {_id: "schema-version", version, baseline,
 * updatedAt}} and one {@code {_id: "migration:<name>:<version>", kind: "schema-migration", version, name, file,
 * checksum, appliedAt, toolVersion, changed, removed, copied}} per applied migration.
 */
public final class SchemaHistory {
    static final String VERSION_ID = "schema-version";
    static final String KIND = "schema-migration";
    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);
    private final MongoCollection<BsonDocument> metadata;

    public SchemaHistory(MongoCollection<BsonDocument> metadata) {
        this.metadata = metadata;
    }

    /** The version the database is at, if it has schema metadata. */
    public Optional<SchemaVersion> current() {
        BsonDocument doc = metadata.find(Filters.eq("_id", VERSION_ID)).first();
        return doc == null ? Optional.empty() : Optional.of(new SchemaVersion(doc.getString("version").getValue()));
    }

    /** Whether the current version came from a baseline (migrations up to it were never applied by Changeover). */
    public boolean baselined() {
        BsonDocument doc = metadata.find(Filters.eq("_id", VERSION_ID)).first();
        return doc != null && doc.getBoolean("baseline", BsonBoolean.FALSE).getValue();
    }

    public List<Applied> applied() {
        List<Applied> result = new ArrayList<>();
        metadata.find(Filters.eq("kind", KIND)).sort(Sorts.ascending("appliedAt")).forEach(d -> result.add(new Applied(
                new SchemaVersion(d.getString("version").getValue()), d.getString("name").getValue(),
                d.getString("checksum").getValue(), d.getString("_id").getValue())));
        result.sort((a, b) -> a.version().compareTo(b.version()));
        return result;
    }

    public void baseline(SchemaVersion version, String toolVersion) {
        metadata.replaceOne(Filters.eq("_id", VERSION_ID), new BsonDocument("_id", new BsonString(VERSION_ID))
                .append("version", new BsonString(version.text()))
                .append("baseline", BsonBoolean.TRUE)
                .append("baselineVersion", new BsonString(version.text()))
                .append("toolVersion", new BsonString(toolVersion))
                .append("updatedAt", now()), UPSERT);
    }

    public void record(SchemaMigration m, List<StepCounts> counts, String toolVersion) {
        String id = "migration:" + m.name() + ":" + m.version().text();
        metadata.replaceOne(Filters.eq("_id", id), new BsonDocument("_id", new BsonString(id))
                .append("kind", new BsonString(KIND))
                .append("version", new BsonString(m.version().text()))
                .append("name", new BsonString(m.name()))
                .append("file", new BsonString(m.file().getFileName().toString()))
                .append("checksum", new BsonString(m.checksum()))
                .append("appliedAt", now())
                .append("toolVersion", new BsonString(toolVersion))
                .append("changed", new BsonInt64(counts.stream().mapToLong(StepCounts::changed).sum()))
                .append("removed", new BsonInt64(counts.stream().mapToLong(StepCounts::removed).sum()))
                .append("copied", new BsonInt64(counts.stream().mapToLong(StepCounts::copied).sum())), UPSERT);
        metadata.updateOne(Filters.eq("_id", VERSION_ID), Updates.combine(Updates.set("version", m.version().text()),
                Updates.set("updatedAt", now()), Updates.setOnInsert("baseline", false)),
                new com.mongodb.client.model.UpdateOptions().upsert(true));
    }

    /** Records a deliberate change to an applied migration's file. */
    public void repairChecksum(Applied applied, String checksum) {
        metadata.updateOne(Filters.eq("_id", applied.id()), Updates.combine(Updates.set("checksum", checksum),
                Updates.push("repairs", new BsonDocument("from", new BsonString(applied.checksum()))
                        .append("to", new BsonString(checksum)).append("at", now()))));
    }

    private static BsonDateTime now() {
        return new BsonDateTime(Instant.now().toEpochMilli());
    }

    /** A migration recorded as applied. */
    public record Applied(SchemaVersion version, String name, String checksum, String id) {
    }
}
