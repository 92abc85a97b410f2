package io.changeover.embedded.mongo;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.bson.Document;

/**
 * An in-memory collection that reports every stored, changed and removed document to the {@link ChangeRecorder}.
 * Reporting at the storage level sees exactly what was written: only documents that were really inserted (not the
 * ones rejected as duplicates), the before and after image of every update (including findAndModify and upserts)
 * and the document behind every delete. System collections ({@code system.*}) are not reported.
 */
final class RecordingCollection extends MemoryCollection {

    private final ChangeRecorder recorder;

    /** @param recorder null for collections created while the database itself is being constructed */
    RecordingCollection(MongoDatabase database, String collectionName, CollectionOptions options,
                        CursorRegistry cursorRegistry, ChangeRecorder recorder) {
        super(database, collectionName, options, cursorRegistry);
        this.recorder = recorder;
    }

    static boolean isSystem(String collectionName) {
        return collectionName.startsWith("system.");
    }

    @Override
    protected Integer addDocumentInternal(Document document) {
        Integer position = super.addDocumentInternal(document);
        if (reporting()) {
            recorder.inserted(getDatabaseName(), getCollectionName(), document);
        }
        return position;
    }

    @Override
    protected void handleUpdate(Integer position, Document oldDocument, Document newDocument) {
        super.handleUpdate(position, oldDocument, newDocument);
        if (reporting()) {
            recorder.updated(getDatabaseName(), getCollectionName(), oldDocument, newDocument);
        }
    }

    @Override
    protected void removeDocument(Integer position) {
        Document removed = getDocument(position);
        super.removeDocument(position);
        if (reporting() && removed != null) {
            recorder.deleted(getDatabaseName(), getCollectionName(), removed);
        }
    }

    private boolean reporting() {
        return recorder != null && !isSystem(getCollectionName());
    }
}
