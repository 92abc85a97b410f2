package io.changeover.embedded.mongo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import de.bwaldvogel.mongo.backend.Cursor;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;

/**
 * Turns writes into oplog entries. The storage layer ({@link RecordingCollection}) reports every document that is
 * inserted, changed or removed, with its before and after images; mongo-java-server's own oplog callbacks (this
 * class is installed as its {@link Oplog}) tell which update statement was a replacement and which collections were
 * dropped. Changes collect while a write command runs under the write lock and are committed to the
 * {@link TimeIndexedOplog} with fresh cluster times before the lock is released, so the oplog order is the order in
 * which writes became visible.
 */
final class ChangeRecorder implements Oplog {

    private static final String ID = "_id";

    private final ReentrantLock writeLock = new ReentrantLock();
    private final ClusterClock clock;
    private final TimeIndexedOplog oplog;
    private final List<PendingChange> pending = new ArrayList<>();
    /** Index of the first pending change recorded after the last {@link #statementApplied}. */
    private int unclassified;
    private volatile boolean recording = true;

    ChangeRecorder(ClusterClock clock, TimeIndexedOplog oplog) {
        this.clock = clock;
        this.oplog = oplog;
    }

    /** Runs a write command under the write lock and commits the changes it made. */
    <T> T write(Supplier<T> command) {
        writeLock.lock();
        try {
            return command.get();
        } finally {
            try {
                commit();
            } finally {
                writeLock.unlock();
            }
        }
    }

    /** Runs {@code action} with recording switched off (restoring persisted data is not a change). */
    void withoutRecording(Runnable action) {
        writeLock.lock();
        try {
            recording = false;
            action.run();
        } finally {
            recording = true;
            writeLock.unlock();
        }
    }

    /** @param bson the stored document's BSON, embedded in the entry as it is */
    void inserted(String database, String collection, Document document, byte[] bson) {
        byte[] payload = BsonBytes.embed(new String[] {OplogEntry.DOCUMENT_KEY, OplogEntry.FULL_DOCUMENT},
            new byte[][] {BsonBytes.encode(keyOf(document)), bson});
        add(new PendingChange("insert", database, collection, payload, null, null));
    }

    /**
     * @param afterBson   the BSON of {@code after}: a replacement embeds it as the event's {@code fullDocument}
     *                    without encoding the document again
     * @param replacement whether the running statement is a replacement, or null if not known yet: the change is
     *                    then classified by {@link #statementApplied} (or as an update at commit), and its update
     *                    description is computed in case it is not a replacement
     */
    void updated(String database, String collection, Document before, Document after, byte[] afterBson,
                 Boolean replacement) {
        byte[] key = BsonBytes.encode(keyOf(after));
        if (Boolean.TRUE.equals(replacement)) {
            add(new PendingChange("replace", database, collection, replacementBody(key, afterBson), null, null));
            return;
        }
        byte[] payload = BsonBytes.embed(new String[] {OplogEntry.DOCUMENT_KEY, OplogEntry.UPDATE_DESCRIPTION},
            new byte[][] {key, BsonBytes.encode(UpdateDescriptions.between(before, after))});
        add(replacement == null ? new PendingChange("update", database, collection, payload, key, afterBson)
            : new PendingChange("update", database, collection, payload, null, null));
    }

    void deleted(String database, String collection, Document document) {
        Document payload = new Document(OplogEntry.DOCUMENT_KEY, keyOf(document));
        add(new PendingChange("delete", database, collection, BsonBytes.encode(payload), null, null));
    }

    /** A collection renamed: a {@code rename} event on the old namespace, naming the new one in {@code to}. */
    void collectionRenamed(String fromNamespace, String toNamespace) {
        String database = Utils.getDatabaseNameFromFullName(fromNamespace);
        String collection = Utils.getCollectionNameFromFullName(fromNamespace);
        if (RecordingCollection.isSystem(collection)) {
            return;
        }
        Document to = new Document("db", Utils.getDatabaseNameFromFullName(toNamespace))
            .append("coll", Utils.getCollectionNameFromFullName(toNamespace));
        add(new PendingChange("rename", database, collection, BsonBytes.encode(new Document(OplogEntry.TO, to)),
            null, null));
    }

    void databaseDropped(String database) {
        add(new PendingChange("dropDatabase", database, null, BsonBytes.encode(new Document()), null, null));
    }

    /**
     * Marks the updates recorded since the last statement as replacements if {@code updateSpec} is a replacement
     * document (no {@code $} operators), as MongoDB reports them. Only the changes since the last statement are
     * visited: a bulk write of n statements in one command stays linear.
     */
    void statementApplied(Object updateSpec) {
        if (!recording) {
            return;
        }
        boolean replacement = isReplacement(updateSpec);
        withLock(() -> {
            for (int i = unclassified; i < pending.size(); i++) {
                pending.get(i).classify(replacement);
            }
            unclassified = pending.size();
        });
    }

    @Override
    public void handleInsert(String namespace, List<Document> documents) {
        // recorded by RecordingCollection, which sees only the documents actually stored
    }

    @Override
    public void handleUpdate(String namespace, Document selector, Document query, List<Object> modifiedIds) {
        statementApplied(query);
    }

    @Override
    public void handleDelete(String namespace, Document query, List<Object> deletedIds) {
        // recorded by RecordingCollection
    }

    @Override
    public void handleDropCollection(String namespace) {
        String collection = Utils.getCollectionNameFromFullName(namespace);
        if (!RecordingCollection.isSystem(collection)) {
            add(new PendingChange("drop", Utils.getDatabaseNameFromFullName(namespace), collection,
                BsonBytes.encode(new Document()), null, null));
        }
    }

    @Override
    public Cursor createCursor(Document changeStreamDocument, String namespace, Aggregation aggregation) {
        throw new IllegalStateException("change streams are opened by ChangeStreams, not by the storage layer ("
            + namespace + ")");
    }

    private void add(PendingChange change) {
        if (recording) {
            withLock(() -> pending.add(change));
        }
    }

    /** Commits what is pending; a write that arrives outside a write command is committed on its own. */
    private void withLock(Runnable action) {
        if (writeLock.isHeldByCurrentThread()) {
            action.run();
            return;
        }
        write(() -> {
            action.run();
            return null;
        });
    }

    private void commit() {
        if (pending.isEmpty()) {
            return;
        }
        List<OplogEntry> entries = new ArrayList<>(pending.size());
        long wallMillis = clock.wallMillis();
        for (PendingChange change : pending) {
            change.classify(false);
            entries.add(change.toEntry(clock.tick(), wallMillis));
        }
        pending.clear();
        unclassified = 0;
        oplog.append(entries);
    }

    private static byte[] replacementBody(byte[] documentKey, byte[] afterImage) {
        return BsonBytes.embed(new String[] {OplogEntry.DOCUMENT_KEY, OplogEntry.FULL_DOCUMENT},
            new byte[][] {documentKey, afterImage});
    }

    private static Document keyOf(Document document) {
        return new Document(ID, document.get(ID));
    }

    /** Whether an update statement's {@code u} (or findAndModify's {@code update}) replaces the whole document. */
    static boolean isReplacement(Object updateSpec) {
        if (LiteralReplacement.isReplacementStatement(updateSpec)) {
            return true;
        }
        if (!(updateSpec instanceof Document)) {
            return false;
        }
        for (String key : ((Document) updateSpec).keySet()) {
            if (key.startsWith("$")) {
                return false;
            }
        }
        return true;
    }

    /** A change seen during the running command, not yet given a cluster time. */
    private static final class PendingChange {
        private String operationType;
        private final String database;
        private final String collection;
        private byte[] body;
        private byte[] documentKey;
        private byte[] afterImage;

        PendingChange(String operationType, String database, String collection, byte[] body, byte[] documentKey,
                      byte[] afterImage) {
            this.operationType = operationType;
            this.database = database;
            this.collection = collection;
            this.body = body;
            this.documentKey = documentKey;
            this.afterImage = afterImage;
        }

        void classify(boolean replacement) {
            if (afterImage == null) {
                return;
            }
            if (replacement) {
                operationType = "replace";
                body = replacementBody(documentKey, afterImage);
            }
            documentKey = null;
            afterImage = null;
        }

        OplogEntry toEntry(long clusterTime, long wallMillis) {
            return new OplogEntry(clusterTime, wallMillis, operationType, database, collection, body);
        }
    }
}
