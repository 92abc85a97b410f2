package io.changeover.control.state;

import java.time.Instant;
import java.util.Optional;

import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonString;


/**
 * Keeps the migration state in the target's metadata (a collection, or a table of a PostgreSQL target) as the document {@code {_id: "state", migration,
 * state, reason, since}}.
 */
public final class MetadataStateStore implements StateStore {
    static final String ID = "state";
    private final MetadataDocuments metadata;
    private final String migration;

    public MetadataStateStore(MetadataDocuments metadata, String migration) {
        this.metadata = metadata;
        this.migration = migration;
    }

    @Override
    public Optional<StateRecord> load() {
        BsonDocument doc = metadata.find(ID).orElse(null);
        if (doc == null) {
            return Optional.empty();
        }
        String owner = doc.getString("migration", new BsonString(migration)).getValue();
        if (!owner.equals(migration)) {
            throw new IllegalStateException("the target's metadata holds the state of migration '" + owner
                    + "', not '" + migration + "': two migrations must not share a target database");
        }
        return Optional.of(new StateRecord(MigrationState.fromLabel(doc.getString("state").getValue()),
                doc.getString("reason", new BsonString("")).getValue(),
                Instant.ofEpochMilli(doc.getDateTime("since").getValue())));
    }

    @Override
    public void save(StateRecord record) {
        BsonDocument doc = new BsonDocument("_id", new BsonString(ID))
                .append("migration", new BsonString(migration))
                .append("state", new BsonString(record.state().label()))
                .append("reason", new BsonString(record.reason()))
                .append("since", new BsonDateTime(record.since().toEpochMilli()));
        metadata.put(ID, doc);
    }
}
