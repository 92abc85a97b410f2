package io.changeover.embedded.mongo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Converts server-side documents to and from BSON bytes: a compact, immutable copy for the oplog and the disk. */
final class BsonBytes {

    private static final byte EMBEDDED_DOCUMENT = 0x03;
    /** A buffer kept larger than this is dropped after use rather than held by its thread. */
    private static final int RETAINED_CAPACITY = 1 << 20;
    /**
     * One encoding buffer per thread, reused: a fresh 256-byte buffer grew three times for a 1 KB document, and
     * allocating and releasing it showed in the profile of every write.
     */
    private static final ThreadLocal<ByteBuf> BUFFER = ThreadLocal.withInitial(() -> Unpooled.buffer(4096));

    private BsonBytes() {
    }

    static byte[] encode(Document document) {
        ByteBuf buffer = BUFFER.get();
        buffer.clear();
        try {
            BsonEncoder.encodeDocument(document, buffer);
            byte[] bytes = new byte[buffer.readableBytes()];
            buffer.readBytes(bytes);
            return bytes;
        } finally {
            buffer.clear();
            if (buffer.capacity() > RETAINED_CAPACITY) {
                buffer.release();
                BUFFER.remove();
            }
        }
    }

    static Document decode(byte[] bytes) {
        ByteBuf buffer = Unpooled.wrappedBuffer(bytes);
        try {
            return BsonDecoder.decodeBson(buffer);
        } finally {
            buffer.release();
        }
    }

    /**
     * The length of the {@code index}-th field of a document made by {@link #embed} (every field an embedded
     * document), read from its bytes without decoding.
     */
    static int embeddedLength(byte[] embedded, int index) {
        ByteBuffer in = ByteBuffer.wrap(embedded).order(ByteOrder.LITTLE_ENDIAN);
        int offset = Integer.BYTES;
        for (int field = 0; ; field++) {
            offset++;                           // the element's type
            while (embedded[offset] != 0) {     // its name
                offset++;
            }
            offset++;
            int length = in.getInt(offset);
            if (field == index) {
                return length;
            }
            offset += length;
        }
    }

    /**
     * The BSON of a document whose fields are the given, already encoded, sub-documents ({@code names[i]} holding
     * {@code documents[i]}), in that order. Lets a document that was encoded once (to size it, for instance) be
     * embedded in an oplog payload without being encoded again.
     */
    static byte[] embed(String[] names, byte[][] documents) {
        byte[][] encodedNames = new byte[names.length][];
        int length = Integer.BYTES + 1;
        for (int i = 0; i < names.length; i++) {
            encodedNames[i] = names[i].getBytes(StandardCharsets.UTF_8);
            length += 1 + encodedNames[i].length + 1 + documents[i].length;
        }
        ByteBuffer out = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(length);
        for (int i = 0; i < names.length; i++) {
            out.put(EMBEDDED_DOCUMENT).put(encodedNames[i]).put((byte) 0).put(documents[i]);
        }
        out.put((byte) 0);
        return out.array();
    }
}
