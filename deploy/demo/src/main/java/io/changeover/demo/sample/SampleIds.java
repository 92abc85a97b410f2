package io.changeover.demo.sample;

import java.nio.ByteBuffer;

import org.bson.types.ObjectId;

/**
 * Deterministic ObjectIds of the sample dataset, built from the seed and the document index rather than the clock:
 * the timestamp part is a fixed base plus the index, so {@code _id} order is index order; the middle five bytes come
 * from the seed, so datasets of different seeds do not share ids.
 */
final class SampleIds {
    /** 2024-01-01T00:00:00Z, in seconds: the creation time of document 0. */
    static final long BASE_SECONDS = 1_704_067_200L;

    private SampleIds() {
    }

    static ObjectId of(long seed, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("document index must be >= 0, got " + index);
        }
        long seedBits = mix(seed);
        ByteBuffer bytes = ByteBuffer.allocate(12);
        bytes.putInt((int) (BASE_SECONDS + index));
        bytes.put((byte) (seedBits >>> 32)).putInt((int) seedBits);
        bytes.put((byte) (index >>> 16)).put((byte) (index >>> 8)).put((byte) index);
        return new ObjectId(bytes.array());
    }

    /**
     * The id job {@code index} would have had in a dataset of another seed: no document of this dataset has it. The
     * dataset names such ids as parents purged before the migration.
     */
    static ObjectId purged(long seed, int index) {
        return of(~seed, index);
    }

    /** Creation time of document {@code index}, in seconds: the timestamp part of its id. */
    static long seconds(int index) {
        return BASE_SECONDS + index;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
