package io.changeover.transform.stream;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.bson.BsonBinary;
import org.bson.BsonDocument;

import io.changeover.transform.format.OutputRecords;

/**
 * How far every raw partition of a referenced collection has been transformed, and the requests still open against
 * it, in two changelogged stores:
 * <ul>
 *   <li>watermarks: raw partition number to its last watermark ({@code {n, pos}});</li>
 *   <li>open requests: (requester position, subscriber key) to {@code {k: <referenced key>, s: <subscriber key>}},
 *       so the requests a new low watermark passes are found by one range scan.</li>
 * </ul>
 * The low watermark is the least position over all partitions, known once every partition has reported; a position
 * is passed when the low watermark is at or above it: a tick at a position follows every change at or before it.
 */
final class Watermarks {
    private final KeyValueStore<byte[], byte[]> partitions;
    private final KeyValueStore<byte[], byte[]> open;
    private Long low;

    Watermarks(KeyValueStore<byte[], byte[]> partitions, KeyValueStore<byte[], byte[]> open) {
        this.partitions = partitions;
        this.open = open;
    }

    /** A request every partition has passed without a mapping. */
    record Open(byte[] referencedKey, byte[] subscriber) {
    }

    boolean passed(long position) {
        return low() >= position;
    }

    void open(long position, byte[] referencedKey, byte[] subscriber) {
        open.put(openKey(position, subscriber), OutputRecords.value(new BsonDocument("k", new BsonBinary(referencedKey))
                .append("s", new BsonBinary(subscriber))));
    }

    /** Records a watermark; returns (and forgets) the open requests the low watermark has now passed. */
    List<Open> advance(BsonDocument watermark) {
        int partition = watermark.getInt32("p").getValue();
        long position = watermark.getInt64("pos").getValue();
        byte[] key = ByteBuffer.allocate(Integer.BYTES).putInt(partition).array();
        byte[] previous = partitions.get(key);
        if (previous != null && OutputRecords.document(previous).getInt64("pos").getValue() >= position) {
            return List.of();
        }
        partitions.put(key, OutputRecords.value(new BsonDocument("n", watermark.get("n")).append("pos", watermark.get("pos"))));
        long before = low();
        low = null;
        long after = low();
        return after > before ? due(after) : List.of();
    }

    /** The open requests at or before {@code low}. */
    private List<Open> due(long low) {
        byte[] end = openKey(low + 1, new byte[0]);
        List<KeyValue<byte[], byte[]>> entries = new ArrayList<>();
        try (KeyValueIterator<byte[], byte[]> it = open.range(new byte[0], end)) {
            it.forEachRemaining(entries::add);
        }
        List<Open> due = new ArrayList<>();
        for (KeyValue<byte[], byte[]> entry : entries) {
            if (Bytes.wrap(entry.key).compareTo(Bytes.wrap(end)) >= 0) {
                continue;   // range ends are inclusive
            }
            open.delete(entry.key);
            BsonDocument value = OutputRecords.document(entry.value);
            due.add(new Open(value.getBinary("k").getData(), value.getBinary("s").getData()));
        }
        return due;
    }

    /** The least watermark over all partitions; {@link Long#MIN_VALUE} until every partition has reported. */
    private long low() {
        if (low == null) {
            long least = Long.MAX_VALUE;
            int reported = 0;
            int expected = Integer.MAX_VALUE;
            try (KeyValueIterator<byte[], byte[]> it = partitions.all()) {
                while (it.hasNext()) {
                    BsonDocument mark = OutputRecords.document(it.next().value);
                    reported++;
                    expected = mark.getInt32("n").getValue();
                    least = Math.min(least, mark.getInt64("pos").getValue());
                }
            }
            low = reported >= expected ? least : Long.MIN_VALUE;
        }
        return low;
    }

    /** Positions are non-negative, so big-endian bytes sort as the numbers do. */
    private static byte[] openKey(long position, byte[] subscriber) {
        return ByteBuffer.allocate(Long.BYTES + subscriber.length).putLong(position).put(subscriber).array();
    }
}
