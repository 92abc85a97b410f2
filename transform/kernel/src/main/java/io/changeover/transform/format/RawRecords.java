package io.changeover.transform.format;

import java.nio.ByteBuffer;
import java.util.Optional;

import org.apache.kafka.common.utils.Utils;
import org.bson.BsonBinaryReader;
import org.bson.BsonBinaryWriter;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonInvalidOperationException;
import org.bson.BsonSerializationException;
import org.bson.BsonString;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;

/**
 * The serde of raw topics ({@link RawRecord}; {@code docs/topics.md}, "Raw records"), format
 * {@value #FORMAT_VERSION}:
 * <ul>
 *   <li>key of a change: the BSON document {@code {_id: <id>}}, the id's BSON type kept exactly; a tick or a
 *       snapshot end has no key;</li>
 *   <li>value: a BSON document whose first field {@code v} is the format version, then {@code kind}
 *       ({@code change}, {@code tick}, {@code snapshot-end}) and the kind's fields: for a change {@code op},
 *       {@code coll}, {@code pos} (int64, {@link SourcePosition#value()}), {@code snap} and, unless it is a delete or
 *       a vanished update, {@code after} (the document, embedded as BSON); for the others {@code pos} and
 *       {@code partitions}.</li>
 * </ul>
 * Capture places a change by {@link #partition}: by the id's identity under MongoDB's equality, so documents whose
 * ids are equal ({@code 5}, {@code NumberLong(5)}) land in the same partition of every raw topic.
 */
public final class RawRecords {
    /** The version in every value's {@code v} field; a reader refuses other versions by name. */
    public static final int FORMAT_VERSION = 1;
    private static final BsonDocumentCodec CODEC = new BsonDocumentCodec();

    private RawRecords() {
    }

    /** The key of a change of the document with {@code id}; null for ticks and snapshot ends. */
    public static byte[] key(RawRecord record) {
        return record instanceof RawRecord.Change change ? key(change.id()) : null;
    }

    /** The key of changes of the document with {@code id}. */
    public static byte[] key(BsonValue id) {
        return encode(new BsonDocument("_id", id));
    }

    public static byte[] value(RawRecord record) {
        BsonDocument value = new BsonDocument("v", new BsonInt32(FORMAT_VERSION));
        if (record instanceof RawRecord.Change c) {
            value.append("kind", new BsonString("change"))
                    .append("op", new BsonString(c.operation().code()))
                    .append("coll", new BsonString(c.collection()))
                    .append("pos", new BsonInt64(c.position().value()))
                    .append("snap", BsonBoolean.valueOf(c.snapshot()));
            if (c.after() != null) {
                value.append("after", c.after());
            }
        } else if (record instanceof RawRecord.Tick t) {
            value.append("kind", new BsonString("tick"))
                    .append("pos", new BsonInt64(t.position().value())).append("partitions", new BsonInt32(t.partitions()));
        } else if (record instanceof RawRecord.SnapshotEnd e) {
            value.append("kind", new BsonString("snapshot-end"))
                    .append("pos", new BsonInt64(e.position().value())).append("partitions", new BsonInt32(e.partitions()));
        }
        return encode(value);
    }

    /** The partition of {@code id}'s changes in a raw topic of {@code partitions} partitions. */
    public static int partition(BsonValue id, int partitions) {
        return Utils.toPositive(Utils.murmur2(IdentityKeys.of(id))) % partitions;
    }

    /** Reads a raw record; a {@link RawRecordException} names the part at fault. */
    public static RawRecord read(byte[] key, byte[] value) {
        if (value == null) {
            throw new RawRecordException("value", "a raw record has a value (deletes too); got null");
        }
        BsonDocument document = decode("value", value);
        int version = int32(document, "v");
        if (version != FORMAT_VERSION) {
            throw new RawRecordException("value", "raw format version " + version + " is not supported (this "
                    + "Changeover reads version " + FORMAT_VERSION + ")");
        }
        String kind = string(document, "kind");
        SourcePosition position = new SourcePosition(int64(document, "pos"));
        return switch (kind) {
            case "change" -> change(key, document, position);
            case "tick" -> new RawRecord.Tick(position, int32(document, "partitions"));
            case "snapshot-end" -> new RawRecord.SnapshotEnd(position, int32(document, "partitions"));
            default -> throw new RawRecordException("value", "unknown kind '" + kind + "'; expected change, tick or "
                    + "snapshot-end");
        };
    }

    /**
     * The header of a change, without decoding its document (the envelope is read in place); empty for a tick or a
     * snapshot end. Checks what {@link #read} checks of the envelope; the document itself is checked when read.
     */
    public static Optional<ChangeHeader> header(byte[] key, byte[] value) {
        if (value == null) {
            throw new RawRecordException("value", "a raw record has a value (deletes too); got null");
        }
        RawBsonDocument document;
        try {
            document = new RawBsonDocument(value);
            int version = int32(document, "v");
            if (version != FORMAT_VERSION) {
                throw new RawRecordException("value", "raw format version " + version + " is not supported (this "
                        + "Changeover reads version " + FORMAT_VERSION + ")");
            }
            if (!"change".equals(string(document, "kind"))) {
                return Optional.empty();
            }
            RawRecord.Operation operation = RawRecord.Operation.ofCode(string(document, "op"));
            BsonValue after = document.get("after");
            if (after != null && !after.isDocument()) {
                throw new RawRecordException("after", "expected a document, got " + after.getBsonType());
            }
            if (after == null && (operation == RawRecord.Operation.READ || operation == RawRecord.Operation.INSERT)) {
                throw new RawRecordException("after", "a " + operation + " carries the document");
            }
            return Optional.of(new ChangeHeader(id(key), operation, after != null));
        } catch (BsonSerializationException | BsonInvalidOperationException | IllegalStateException e) {
            throw new RawRecordException("value", "not a BSON document (" + value.length + " bytes): " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new RawRecordException("op", e.getMessage());
        }
    }

    /**
     * The position of any raw record (change, tick or snapshot end), read in place without decoding its document:
     * for readers that only ask how old a record is.
     */
    public static SourcePosition position(byte[] value) {
        if (value == null) {
            throw new RawRecordException("value", "a raw record has a value (deletes too); got null");
        }
        try {
            RawBsonDocument document = new RawBsonDocument(value);
            int version = int32(document, "v");
            if (version != FORMAT_VERSION) {
                throw new RawRecordException("value", "raw format version " + version + " is not supported (this "
                        + "Changeover reads version " + FORMAT_VERSION + ")");
            }
            return new SourcePosition(int64(document, "pos"));
        } catch (BsonSerializationException | BsonInvalidOperationException | IllegalStateException e) {
            throw new RawRecordException("value", "not a BSON document (" + value.length + " bytes): " + e.getMessage());
        }
    }

    /** The {@code _id} in the key of a change. */
    public static BsonValue id(byte[] key) {
        if (key == null) {
            throw new RawRecordException("key", "a change has a key {_id: <id>}; got null");
        }
        BsonValue id = decode("key", key).get("_id");
        if (id == null) {
            throw new RawRecordException("key", "expected a BSON document {_id: <id>}");
        }
        return id;
    }

    private static RawRecord.Change change(byte[] key, BsonDocument value, SourcePosition position) {
        RawRecord.Operation operation;
        try {
            operation = RawRecord.Operation.ofCode(string(value, "op"));
        } catch (IllegalArgumentException e) {
            throw new RawRecordException("op", e.getMessage());
        }
        BsonValue after = value.get("after");
        if (after != null && !after.isDocument()) {
            throw new RawRecordException("after", "expected a document, got " + after.getBsonType());
        }
        if (after == null && (operation == RawRecord.Operation.READ || operation == RawRecord.Operation.INSERT)) {
            throw new RawRecordException("after", "a " + operation + " carries the document");
        }
        BsonValue snapshot = value.get("snap");
        try {
            return new RawRecord.Change(string(value, "coll"), id(key), operation,
                    after == null ? null : after.asDocument(), position, snapshot != null && snapshot.isBoolean()
                    && snapshot.asBoolean().getValue());
        } catch (IllegalArgumentException e) {
            throw new RawRecordException("after", e.getMessage());
        }
    }

    private static String string(BsonDocument d, String field) {
        BsonValue v = d.get(field);
        if (v == null || !v.isString()) {
            throw new RawRecordException(field, "expected a string, got " + describe(v));
        }
        return v.asString().getValue();
    }

    private static int int32(BsonDocument d, String field) {
        BsonValue v = d.get(field);
        if (v == null || v.getBsonType() != BsonType.INT32) {
            throw new RawRecordException(field, "expected an int32, got " + describe(v));
        }
        return v.asInt32().getValue();
    }

    private static long int64(BsonDocument d, String field) {
        BsonValue v = d.get(field);
        if (v == null || v.getBsonType() != BsonType.INT64) {
            throw new RawRecordException(field, "expected an int64, got " + describe(v));
        }
        return v.asInt64().getValue();
    }

    private static String describe(BsonValue v) {
        return v == null ? "nothing" : v.getBsonType().toString();
    }

    private static byte[] encode(BsonDocument document) {
        try (BasicOutputBuffer buffer = new BasicOutputBuffer(); BsonBinaryWriter writer = new BsonBinaryWriter(buffer)) {
            CODEC.encode(writer, document, EncoderContext.builder().build());
            return buffer.toByteArray();
        }
    }

    private static BsonDocument decode(String part, byte[] bytes) {
        try (BsonBinaryReader reader = new BsonBinaryReader(ByteBuffer.wrap(bytes))) {
            return CODEC.decode(reader, DecoderContext.builder().build());
        } catch (BsonSerializationException | BsonInvalidOperationException | IllegalStateException e) {
            throw new RawRecordException(part, "not a BSON document (" + bytes.length + " bytes): " + e.getMessage());
        }
    }
}
