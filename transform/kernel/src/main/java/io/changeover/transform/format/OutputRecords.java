package io.changeover.transform.format;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.bson.BsonBinaryReader;
import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.ByteBuf;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/**
 * The format of output topics (transform to sink), documented in {@code docs/topics.md}:
 * <ul>
 *   <li>key: UTF-8 canonical extended JSON of {@code {"_id": <target id>}};</li>
 *   <li>value: the target document as BSON bytes, or null (a tombstone) to delete;</li>
 *   <li>header {@value #POSITION_HEADER}: the source position (8 bytes, big-endian) of the change that produced it.</li>
 * </ul>
 */
public final class OutputRecords {
    public static final String POSITION_HEADER = "changeover.position";
    private static final JsonWriterSettings CANONICAL = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();
    private static final BsonDocumentCodec CODEC = new BsonDocumentCodec();

    private OutputRecords() {
    }

    public static byte[] key(BsonValue id) {
        String fast = CanonicalKeys.of(id);
        return (fast != null ? fast : new BsonDocument("_id", id).toJson(CANONICAL)).getBytes(StandardCharsets.UTF_8);
    }

    public static BsonValue id(byte[] key) {
        return BsonDocument.parse(new String(key, StandardCharsets.UTF_8)).get("_id");
    }

    public static byte[] value(BsonDocument document) {
        if (document == null) {
            return null;
        }
        if (document instanceof RawBsonDocument raw) { // already encoded: its bytes
            ByteBuf bytes = raw.getByteBuffer();
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            return copy;
        }
        try (BasicOutputBuffer buffer = new BasicOutputBuffer(); BsonBinaryWriter writer = new BsonBinaryWriter(buffer)) {
            CODEC.encode(writer, document, EncoderContext.builder().build());
            return buffer.toByteArray();
        }
    }

    public static BsonDocument document(byte[] value) {
        if (value == null) {
            return null;
        }
        try (BsonBinaryReader reader = new BsonBinaryReader(ByteBuffer.wrap(value))) {
            return CODEC.decode(reader, DecoderContext.builder().build());
        }
    }

    public static void putPosition(Headers headers, SourcePosition position) {
        headers.remove(POSITION_HEADER);
        headers.add(POSITION_HEADER, ByteBuffer.allocate(Long.BYTES).putLong(position.value()).array());
    }

    /** The record's source position, or {@link SourcePosition#ZERO} when it carries none. */
    public static SourcePosition position(Headers headers) {
        Header header = headers.lastHeader(POSITION_HEADER);
        if (header == null || header.value() == null || header.value().length != Long.BYTES) {
            return SourcePosition.ZERO;
        }
        return new SourcePosition(ByteBuffer.wrap(header.value()).getLong());
    }
}
