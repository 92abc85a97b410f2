package io.changeover.transform.stream;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

import io.changeover.transform.format.OutputRecords;
import io.changeover.transform.format.SourcePosition;

/**
 * Values of the transform's internal ID-remap topics, as BSON documents; every key that is a source id is its
 * identity ({@link io.changeover.transform.format.IdentityKeys}), so records of ids MongoDB finds equal meet, and land
 * in the partition capture gives the id's raw records ({@link io.changeover.transform.format.RawRecords#partition}):
 * <ul>
 *   <li>on {@code remap.<referenced>}, keyed by the referenced source id: a mapping {@code {t: "id", id: <target id>}},
 *       a gone mapping {@code {t: "gone"}} (deleted or filtered out), a pending mapping {@code {t: "pending"}} (the
 *       document exists but waits for answers of its own, so its target id is not known yet), or a request
 *       {@code {t: "ask", c: <referencing collection>, s: <its source id>, k: <the referenced id as it wrote it>,
 *       p: <its position>}};
 *       and, to every partition, keyed by a raw partition number, a watermark
 *       {@code {t: "wm", p: <raw partition>, n: <raw partitions>, pos: <position>}}: the referenced collection's raw
 *       partition {@code p} has been transformed up to {@code pos} (from its ticks);</li>
 *   <li>on {@code resolved.<referencing>}, keyed by the referencing document's identity: an answer
 *       {@code {s: <referencing source id>, c: <referenced collection>, k: <referenced source id>, id: <target id>}}
 *       ({@code gone: true} instead of {@code id} when it has no target).</li>
 * </ul>
 */
final class RemapMessages {
    static final String ID = "id";
    static final String GONE = "gone";
    static final String ASK = "ask";
    static final String PENDING = "pending";
    static final String WATERMARK = "wm";

    private RemapMessages() {
    }

    static byte[] mapping(BsonValue targetId) {
        BsonDocument d = new BsonDocument("t", new BsonString(targetId == null ? GONE : ID));
        if (targetId != null) {
            d.put("id", targetId);
        }
        return OutputRecords.value(d);
    }

    /** The mapping of a document that exists but waits for its own references. */
    static byte[] pending() {
        return OutputRecords.value(new BsonDocument("t", new BsonString(PENDING)));
    }

    static boolean isPending(BsonDocument mapping) {
        return PENDING.equals(mapping.getString("t").getValue());
    }

    static byte[] ask(String collection, BsonValue sourceId, BsonValue referencedId, SourcePosition position) {
        return OutputRecords.value(new BsonDocument("t", new BsonString(ASK)).append("c", new BsonString(collection))
                .append("s", sourceId).append("k", referencedId).append("p", new BsonInt64(position.value())));
    }

    static byte[] watermarkKey(int partition) {
        return ByteBuffer.allocate(Integer.BYTES).putInt(partition).array();
    }

    static byte[] watermark(int partition, int partitions, SourcePosition position) {
        return OutputRecords.value(new BsonDocument("t", new BsonString(WATERMARK)).append("p", new BsonInt32(partition))
                .append("n", new BsonInt32(partitions)).append("pos", new BsonInt64(position.value())));
    }

    static byte[] answer(BsonValue sourceId, String referenced, BsonValue referencedId, BsonDocument mapping) {
        BsonDocument d = new BsonDocument("s", sourceId).append("c", new BsonString(referenced)).append("k", referencedId);
        if (ID.equals(mapping.getString("t").getValue())) {
            d.put("id", mapping.get("id"));
        } else {
            d.put("gone", BsonBoolean.TRUE);
        }
        return OutputRecords.value(d);
    }

    /** A store key made of parts separated by a zero byte. */
    static byte[] storeKey(byte[]... parts) {
        int length = parts.length - 1;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] key = new byte[length];
        int at = 0;
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                key[at++] = 0;
            }
            System.arraycopy(parts[i], 0, key, at, parts[i].length);
            at += parts[i].length;
        }
        return key;
    }

    /** {@code prefix} followed by the separator, for prefix scans. */
    static byte[] prefix(byte[]... parts) {
        byte[] key = storeKey(parts);
        byte[] prefix = Arrays.copyOf(key, key.length + 1);
        prefix[key.length] = 0;
        return prefix;
    }
}
