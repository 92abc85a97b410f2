package io.changeover.transform.format;

import java.util.Objects;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonInvalidOperationException;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * How many documents of one raw partition of a source collection wait for {@code remap} answers (nothing is written
 * for them until the answers come or the wait ends): work the transform holds that no topic shows. The format of the
 * {@code remap-waiting} topics ({@code io.changeover.transform.topics.Topics#remapWaiting}; {@code docs/topics.md}),
 * format version {@value #FORMAT_VERSION}, and its serde:
 * <ul>
 *   <li>key: the BSON document {@code {coll: <source collection>, partition: <raw partition>}};</li>
 *   <li>value: the BSON document {@code {v: 1, coll, partition, waiting: <int64>, oldest: <int64 position>}};
 *       {@code oldest} only while documents wait, and optional: a value without it (written by an older transform)
 *       reads as a count whose oldest wait is unknown, and a reader that does not know the field ignores it.</li>
 * </ul>
 *
 * @param collection the source collection whose documents wait
 * @param partition  the raw partition (stream task) they are in
 * @param waiting    how many of them wait, at least 0
 * @param oldest     the position of the change the longest-waiting of them waits since; {@link SourcePosition#ZERO}
 *                   when none waits or it is unknown
 */
public record WaitingDocuments(String collection, int partition, long waiting, SourcePosition oldest) {
    /** The version in every value's {@code v} field; a reader refuses other versions by name. */
    public static final int FORMAT_VERSION = 1;

    public WaitingDocuments {
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(oldest, "oldest");
        if (waiting < 0) {
            throw new IllegalArgumentException("a negative count of waiting documents: " + waiting + " in " + collection
                    + " partition " + partition);
        }
        if (waiting == 0) {
            oldest = SourcePosition.ZERO;
        }
    }

    /** A count whose oldest wait is unknown. */
    public WaitingDocuments(String collection, int partition, long waiting) {
        this(collection, partition, waiting, SourcePosition.ZERO);
    }

    /** The key of the count of one raw partition of {@code collection}. */
    public static byte[] key(String collection, int partition) {
        return OutputRecords.value(new BsonDocument("coll", new BsonString(collection))
                .append("partition", new BsonInt32(partition)));
    }

    public byte[] key() {
        return key(collection, partition);
    }

    public byte[] value() {
        BsonDocument document = new BsonDocument("v", new BsonInt32(FORMAT_VERSION))
                .append("coll", new BsonString(collection)).append("partition", new BsonInt32(partition))
                .append("waiting", new BsonInt64(waiting));
        if (!oldest.equals(SourcePosition.ZERO)) {
            document.append("oldest", new BsonInt64(oldest.value()));
        }
        return OutputRecords.value(document);
    }

    /** Reads a value; refuses another format version, or a value that is not one. */
    public static WaitingDocuments read(byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("a waiting-documents record without a value");
        }
        BsonDocument document;
        try {
            document = OutputRecords.document(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("a waiting-documents value that is not a BSON document: " + e.getMessage(), e);
        }
        BsonValue version = document.get("v");
        if (version == null || !version.isInt32() || version.asInt32().getValue() != FORMAT_VERSION) {
            throw new IllegalArgumentException("a waiting-documents value of format version "
                    + (version == null ? "(none)" : version.isInt32() ? String.valueOf(version.asInt32().getValue()) : version)
                    + "; this reader reads version " + FORMAT_VERSION);
        }
        BsonValue oldestValue = document.get("oldest");
        if (oldestValue != null && !oldestValue.isInt64()) {
            throw new IllegalArgumentException("a waiting-documents value whose oldest is not an int64 position: "
                    + document.toJson());
        }
        try {
            SourcePosition oldest = oldestValue == null ? SourcePosition.ZERO : new SourcePosition(oldestValue.asInt64().getValue());
            return new WaitingDocuments(document.getString("coll").getValue(), document.getInt32("partition").getValue(),
                    document.getInt64("waiting").getValue(), oldest);
        } catch (BsonInvalidOperationException e) {
            throw new IllegalArgumentException("a waiting-documents value without coll, partition or waiting: "
                    + document.toJson(), e);
        }
    }
}
