package io.changeover.capture;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

import org.bson.Document;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

import io.changeover.transform.spec.MigrationSpec;

/**
 * A MongoDB replica set: Debezium's MongoDB connector on change streams ({@link EngineProperties}), estimated counts
 * from {@code estimatedDocumentCount}, a {@link SourceCollectionGuard} that stops capture when a captured collection
 * is dropped or renamed, large documents fetched or dead-lettered.
 */
final class MongoCaptureSource implements CaptureSource {
    private final MigrationSpec spec;
    private final CaptureConfig config;
    private final List<SourceCollection> collections;
    private MongoClient client;
    private SourceCollectionGuard guard;

    MongoCaptureSource(MigrationSpec spec, CaptureConfig config) {
        this.spec = spec;
        this.config = config;
        this.collections = EngineProperties.collections(spec);
    }

    @Override
    public List<SourceCollection> collections() {
        return collections;
    }

    @Override
    public Map<SourceCollection, Long> open() {
        client = MongoClients.create(spec.source().uri());
        MongoDatabase db = client.getDatabase(spec.source().database());
        Map<SourceCollection, Long> counts = new LinkedHashMap<>();
        for (SourceCollection c : collections) {
            counts.put(c, estimatedCount(db, c));
        }
        return counts;
    }

    @Override
    public Properties engineProperties() {
        return EngineProperties.of(spec, config);
    }

    @Override
    public SourceDialect dialect() {
        return new MongoSourceDialect();
    }

    @Override
    public LargeDocumentStrategy largeDocuments() {
        return LargeDocumentStrategy.of(config.largeDocumentPolicy(),
                new SourceDocuments(client, spec.source().database()));
    }

    @Override
    public void watch(Consumer<String> stop) {
        guard = new SourceCollectionGuard(client, spec.source().database(),
                collections.stream().map(SourceCollection::collection).toList(), spec.name(), stop);
        guard.start();
    }

    @Override
    public void close() {
        try {
            if (guard != null) {
                guard.close();
            }
        } finally {
            if (client != null) {
                client.close();
            }
        }
    }

    private static long estimatedCount(MongoDatabase db, SourceCollection c) {
        try {
            return db.getCollection(c.collection(), Document.class).estimatedDocumentCount();
        } catch (RuntimeException e) {
            throw new CaptureException("cannot read the estimated document count of source collection '" + c
                    + "': " + e.getMessage(), e);
        }
    }
}
