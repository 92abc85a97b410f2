package io.changeover.transform.format;

import java.util.Objects;

import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * A record of a raw topic, the format capture writes and every reader of raw topics reads ({@code docs/topics.md},
 * format {@value RawRecords#FORMAT_VERSION}). Source-neutral: a MongoDB document and a relational row (keyed by its
 * primary key) are both a {@link Change}. Encoded and decoded only by {@link RawRecords}.
 */
public sealed interface RawRecord permits RawRecord.Change, RawRecord.Tick, RawRecord.SnapshotEnd {
    /** Where the record stands in the source's own clock. */
    SourcePosition position();

    /** What happened to a source document. */
    enum Operation {
        /** Read by a snapshot: the document as it was at (or after) the snapshot's start. */
        READ("r"),
        /** Inserted. */
        INSERT("c"),
        /** Updated or replaced; {@link Change#after()} is the whole document after the change. */
        UPDATE("u"),
        /** Deleted; {@link Change#after()} is null. */
        DELETE("d");

        private final String code;

        Operation(String code) {
            this.code = code;
        }

        /** The one-letter code on the wire (Debezium's op codes). */
        public String code() {
            return code;
        }

        public static Operation ofCode(String code) {
            for (Operation o : values()) {
                if (o.code.equals(code)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("unknown operation '" + code + "'; expected r, c, u or d");
        }
    }

    /**
     * A change of one source document.
     *
     * @param collection the source collection (or table)
     * @param id         the document's {@code _id} (a row's primary key), its BSON type exactly as in the source
     * @param operation  what happened
     * @param after      the whole document after the change; null for a delete, and for an update whose document was
     *                   deleted before it could be read (a "vanished" update: it carries no state)
     * @param position   the change's position in the source (a snapshot read: the snapshot's start)
     * @param snapshot   whether a snapshot read it (rather than the change stream)
     */
    record Change(String collection, BsonValue id, Operation operation, BsonDocument after, SourcePosition position,
                  boolean snapshot) implements RawRecord {
        public Change {
            Objects.requireNonNull(collection, "collection");
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(operation, "operation");
            Objects.requireNonNull(position, "position");
            if (operation == Operation.DELETE && after != null) {
                throw new IllegalArgumentException("a delete carries no document");
            }
        }

        public boolean isDelete() {
            return operation == Operation.DELETE;
        }

        /**
         * An update of a document deleted before its state could be read: it carries no state and is skipped; the
         * delete that follows removes the document.
         */
        public boolean isVanishedUpdate() {
            return operation == Operation.UPDATE && after == null;
        }
    }

    /**
     * Written by capture to every partition of every raw topic when the source moves on: every change of this
     * partition at or before {@code position} is already in the topic.
     *
     * @param partitions the topic's partition count when written
     */
    record Tick(SourcePosition position, int partitions) implements RawRecord {
    }

    /**
     * Written by capture to every partition of every raw topic of the snapshotted collections once a snapshot has
     * read everything: every document of the collection that existed at {@code position} (the snapshot's start) has
     * been read at that position, so a document the partition knows from before and that this snapshot did not read
     * was deleted meanwhile (for instance while capture was stopped before a re-snapshot).
     *
     * @param partitions the topic's partition count when written
     */
    record SnapshotEnd(SourcePosition position, int partitions) implements RawRecord {
    }
}
