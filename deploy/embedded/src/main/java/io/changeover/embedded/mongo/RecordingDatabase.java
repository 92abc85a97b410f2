package io.changeover.embedded.mongo;

import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;

/** An in-memory database whose collections report their changes to the {@link ChangeRecorder}. */
final class RecordingDatabase extends MemoryDatabase {

    // assigned after the superclass constructor, which already creates system.namespaces (never reported)
    private final ChangeRecorder recorder;

    RecordingDatabase(String databaseName, CursorRegistry cursorRegistry, ChangeRecorder recorder) {
        super(databaseName, cursorRegistry);
        this.recorder = recorder;
    }

    @Override
    protected MemoryCollection openOrCreateCollection(String collectionName, CollectionOptions options) {
        return new RecordingCollection(this, collectionName, options, cursorRegistry, recorder);
    }
}
