package io.changeover.embedded.mongo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.oplog.Oplog;

/**
 * An in-memory collection that reports every stored, changed and removed document to the {@link ChangeRecorder}.
 * Reporting at the storage level sees exactly what was written: only documents that were really inserted (not the
 * ones rejected as duplicates), the before and after image of every update (including findAndModify and upserts)
 * and the document behind every delete. System collections ({@code system.*}) are not reported.
 *
 * <p>Every stored document is encoded to BSON once per write, here: the bytes both size the collection (its
 * {@code collStats} data size) and become the oplog entry. mongo-java-server would otherwise encode each document
 * again just to measure it (twice per update), which was the largest cost of a write.
 *
 * <p>A query that names its documents by {@code _id} and has further conditions is answered from the {@code _id}
 * index ({@link IdCondition}) instead of a scan of the whole collection; one sorted on {@code _id} with a limit (a
 * page) walks the {@code _id}s in order from its range's bound ({@link SortedIds}) instead of scanning and sorting
 * the whole collection.
 */
final class RecordingCollection extends MemoryCollection {

    private static final String ID = "_id";
    private static final String ID_INDEX = "_id_";
    private static final int IMMUTABLE_FIELD = 66;
    /** The empty query, which every document matches. */
    private static final Document EVERYTHING = new Document();

    private final ChangeRecorder recorder;
    /** BSON size of the document at each storage position (0 for free positions). */
    private int[] sizes = new int[64];
    /** The {@code _id}s in sort order, for queries sorted on {@code _id} with a limit. */
    private final SortedIds sortedIds = new SortedIds();
    /** How many stored documents have a top-level name with a dot or a leading {@code $}. */
    private int specialNamed;
    /** Whether the update statement now running replaces whole documents; null outside a statement. */
    private Boolean replacing;

    /** @param recorder null for collections created while the database itself is being constructed */
    RecordingCollection(MongoDatabase database, String collectionName, CollectionOptions options,
                        CursorRegistry cursorRegistry, ChangeRecorder recorder) {
        super(database, collectionName, options, cursorRegistry);
        this.recorder = recorder;
    }

    static boolean isSystem(String collectionName) {
        return collectionName.startsWith("system.");
    }

    /**
     * Answers what it can without reading every document, with the same documents in the same order, sort, skip,
     * limit and projection as the scan:
     * <ul>
     *   <li>{@code _id: {$in: [scalars]}} alone: mongo-java-server's own index plan, in its order, without checking
     *       each document found against the list again (a comparison with every listed id per document: a read of n
     *       ids cost n² comparisons);</li>
     *   <li>an {@code _id} condition with further conditions: looked up in the {@code _id} index, the whole query
     *       checked on those documents only, taken in natural order as a scan would meet them;</li>
     *   <li>a sort on {@code _id} with a limit: the {@code _id}s walked in order from the range's bound until
     *       skip + limit documents matched.</li>
     * </ul>
     */
    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
                                         Document fieldSelector) {
        if (IdCondition.isExactInOnIndex(query)) {
            Index<Integer> idIndex = idIndex();
            if (idIndex != null && idIndex.canHandle(query)) {
                return matchDocumentsFromStream(positionsOf(idIndex.getPositions(query)).stream()
                    .map(this::getDocument), EVERYTHING, orderBy, numberToSkip, limit, batchSize, fieldSelector);
            }
        }
        Document byId = IdCondition.isOnlyId(query) ? null : IdCondition.impliedBy(query);
        Index<Integer> idIndex = byId == null ? null : idIndex();
        if (idIndex != null && idIndex.canHandle(byId)) {
            List<Integer> positions = positionsOf(idIndex.getPositions(byId));
            positions.sort(isNaturalDescending(orderBy) ? Comparator.reverseOrder() : Comparator.naturalOrder());
            return matchDocumentsFromStream(positions.stream().map(this::getDocument), query, orderBy, numberToSkip,
                limit, batchSize, fieldSelector);
        }
        Iterable<Integer> inIdOrder = limit > 0 && numberToSkip >= 0 ? sortedIds.walk(query, orderBy) : null;
        if (inIdOrder != null) {
            int wanted = (int) Math.min(Integer.MAX_VALUE, (long) numberToSkip + limit);
            return matchDocumentsFromStream(firstMatches(inIdOrder, query, wanted).stream(), query, orderBy,
                numberToSkip, limit, batchSize, fieldSelector);
        }
        return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }

    /**
     * The first {@code count} documents matching {@code query}, walking {@code positions} in the sort order: what a
     * scan, a full sort and a limit would keep.
     */
    private List<Document> firstMatches(Iterable<Integer> positions, Document query, int count) {
        List<Document> matches = new ArrayList<>();
        for (Integer position : positions) {
            Document document = getDocument(position);
            if (documentMatchesQuery(document, query)) {
                matches.add(document);
                if (matches.size() == count) {
                    break;
                }
            }
        }
        return matches;
    }

    private static List<Integer> positionsOf(Iterable<Integer> positions) {
        List<Integer> list = new ArrayList<>();
        positions.forEach(list::add);
        return list;
    }

    /** A copy of the document with this {@code _id} and its stored BSON size, or null if there is none. */
    synchronized DocumentLookup.Found findById(Object id) {
        for (Document document : handleQuery(new Document(ID, id), 0, 1)) {
            Integer position = positionOf(document);
            return new DocumentLookup.Found(document.cloneDeeply(), position == null ? 0 : sizes[position]);
        }
        return null;
    }

    private Index<Integer> idIndex() {
        for (Index<Integer> index : getIndexes()) {
            if (ID_INDEX.equals(index.getName()) && index.isUnique() && index.getKeys().size() == 1
                && ID.equals(index.getKeys().get(0).getKey())) {
                return index;
            }
        }
        return null;
    }

    /**
     * Runs the statement knowing whether it is a replacement, so each document it changes is recorded as its final
     * event at once: a replacement's event embeds the stored bytes, and no update description is computed (and
     * thrown away) for it.
     */
    @Override
    public synchronized Document updateDocuments(Document selector, Document updateQuery, ArrayFilters arrayFilters,
                                                 boolean isMulti, boolean isUpsert, Oplog oplog) {
        if (LiteralReplacement.documentOf(updateQuery) != null) {
            return duringStatement(updateQuery, () -> replaceLiterally(selector, updateQuery, isMulti, isUpsert, oplog));
        }
        if (specialNamed > 0 && !isUpsert && SetUnset.isOnly(updateQuery)) {
            return duringStatement(updateQuery, () -> setAndUnset(selector, updateQuery, isMulti, oplog));
        }
        return duringStatement(updateQuery,
            () -> super.updateDocuments(selector, updateQuery, arrayFilters, isMulti, isUpsert, oplog));
    }

    /**
     * Replaces the matching documents (or upserts one) with {@code replacement} stored exactly, names with dots or a
     * leading {@code $} included ({@link LiteralReplacement}), keeping each document's {@code _id} and every index
     * in step, as mongo-java-server's own replacement does.
     */
    private Document replaceLiterally(Document selector, Document updateQuery, boolean isMulti, boolean isUpsert,
                                      Oplog oplog) {
        Document replacement = LiteralReplacement.documentOf(updateQuery);
        int matched = 0;
        List<Object> modified = new ArrayList<>();
        for (Document stored : queryDocuments(selector, null, 0, 0, 0, null)) {
            matched++;
            if (replaceStored(stored, replacement)) {
                modified.add(stored.get(ID));
            }
            if (!isMulti) {
                break;
            }
        }
        Document result = new Document("n", matched).append("nModified", modified.size());
        if (matched == 0 && isUpsert) {
            Document inserted = withId(replacement, upsertedId(selector, replacement));
            addDocument(inserted);
            result.put("upserted", inserted.get(ID));
        } else {
            oplog.handleUpdate(getFullName(), selector, updateQuery, modified);
        }
        return result;
    }

    /**
     * {@code $set}/{@code $unset} while some stored document has top-level names with dots or a leading {@code $}:
     * mongo-java-server checks every name of the result (refusing the {@code $} ones as if in a replacement, and
     * failing half-way on dotted ones), where MongoDB checks only the fields the update touches. Applied here to a
     * copy of each document, then stored as a replacement of the whole document would be (reported as an update).
     */
    private Document setAndUnset(Document selector, Document updateQuery, boolean isMulti, Oplog oplog) {
        int matched = 0;
        List<Object> modified = new ArrayList<>();
        for (Document stored : queryDocuments(selector, null, 0, 0, 0, null)) {
            matched++;
            if (replaceStored(stored, SetUnset.apply(stored, updateQuery))) {
                modified.add(stored.get(ID));
            }
            if (!isMulti) {
                break;
            }
        }
        oplog.handleUpdate(getFullName(), selector, updateQuery, modified);
        return new Document("n", matched).append("nModified", modified.size());
    }

    private boolean replaceStored(Document stored, Document replacement) {
        Document before = stored.cloneDeeply();
        if (replacement.containsKey(ID) && ValueComparator.asc().compare(replacement.get(ID), before.get(ID)) != 0) {
            throw new MongoServerError(IMMUTABLE_FIELD, "ImmutableField", "After applying the update, the (immutable) "
                + "field '_id' was found to have been altered to _id: " + replacement.get(ID));
        }
        Document after = withId(replacement, before.get(ID));
        if (after.equals(before)) {
            return false;
        }
        Integer position = positionOf(stored);
        for (Index<Integer> index : getIndexes()) {
            index.checkUpdate(before, after, this);
        }
        for (Index<Integer> index : getIndexes()) {
            index.updateInPlace(before, after, position, this);
        }
        stored.clear();
        stored.putAll(after);
        handleUpdate(position, before, stored);
        return true;
    }

    private Integer positionOf(Document stored) {
        Index<Integer> idIndex = idIndex();
        return idIndex != null ? idIndex.getPosition(stored) : findDocumentPosition(stored);
    }

    /** {@code _id} first, then the replacement's other fields in their order. */
    private static Document withId(Document replacement, Object id) {
        Document document = new Document();
        if (id != null) {
            document.put(ID, id);
        }
        replacement.forEach((name, value) -> {
            if (!ID.equals(name)) {
                document.put(name, value);
            }
        });
        return document;
    }

    /**
     * An upsert's {@code _id}: the replacement's, else the query's equality on {@code _id} (also inside {@code $and}),
     * else a new ObjectId.
     */
    private static Object upsertedId(Document selector, Document replacement) {
        if (replacement.containsKey(ID)) {
            return replacement.get(ID);
        }
        Document byId = IdCondition.impliedBy(selector);
        boolean equality = byId != null && !(byId.get(ID) instanceof Document);
        return equality ? byId.get(ID) : new ObjectId();
    }

    @Override
    public synchronized Document findAndModify(Document query) {
        return duringStatement(query.get("update"), () -> super.findAndModify(query));
    }

    private Document duringStatement(Object updateSpec, Supplier<Document> statement) {
        replacing = ChangeRecorder.isReplacement(updateSpec);
        try {
            return statement.get();
        } finally {
            replacing = null;
        }
    }

    /** The data size is kept here, from the bytes encoded for the oplog, not by encoding every document again. */
    @Override
    protected boolean tracksDataSize() {
        return false;
    }

    @Override
    protected Integer addDocumentInternal(Document document) {
        Integer position = super.addDocumentInternal(document);
        sortedIds.add(document.get(ID), position);
        specialNamed += SetUnset.hasSpecialNames(document) ? 1 : 0;
        byte[] bson = BsonBytes.encode(document);
        resize(position, bson.length);
        if (reporting()) {
            recorder.inserted(getDatabaseName(), getCollectionName(), document, bson);
        }
        return position;
    }

    @Override
    protected void handleUpdate(Integer position, Document oldDocument, Document newDocument) {
        super.handleUpdate(position, oldDocument, newDocument);
        specialNamed += (SetUnset.hasSpecialNames(newDocument) ? 1 : 0) - (SetUnset.hasSpecialNames(oldDocument) ? 1 : 0);
        byte[] bson = BsonBytes.encode(newDocument);
        resize(position, bson.length);
        if (reporting()) {
            recorder.updated(getDatabaseName(), getCollectionName(), oldDocument, newDocument, bson, replacing);
        }
    }

    @Override
    protected void removeDocument(Integer position) {
        Document removed = getDocument(position);
        super.removeDocument(position);
        if (removed != null) {
            sortedIds.remove(removed.get(ID));
            specialNamed -= SetUnset.hasSpecialNames(removed) ? 1 : 0;
        }
        resize(position, 0);
        if (reporting() && removed != null) {
            recorder.deleted(getDatabaseName(), getCollectionName(), removed);
        }
    }

    /** Records the size of the document now at {@code position} and moves the collection's data size with it. */
    private void resize(int position, int size) {
        if (position >= sizes.length) {
            sizes = Arrays.copyOf(sizes, Math.max(sizes.length * 2, position + 1));
        }
        updateDataSize(size - sizes[position]);
        sizes[position] = size;
    }

    private boolean reporting() {
        return recorder != null && !isSystem(getCollectionName());
    }
}
