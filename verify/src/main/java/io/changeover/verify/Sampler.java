package io.changeover.verify;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Picks a reproducible sample of documents by their target id: a document is in the sample when a hash of the seed
 * and its id key falls below the fraction. The same seed and fraction pick the same documents on both sides and in
 * every run, whatever the read order.
 */
public final class Sampler {
    private final double fraction;
    private final byte[] seed;

    public Sampler(double fraction, long seed) {
        this.fraction = fraction;
        this.seed = Long.toString(seed).getBytes(StandardCharsets.UTF_8);
    }

    /** Everything. */
    public static Sampler all() {
        return new Sampler(1.0, 0);
    }

    public boolean selects(byte[] idKey) {
        if (fraction >= 1.0) {
            return true;
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(seed);
            digest.update(idKey);
            long bits = ByteBuffer.wrap(digest.digest()).getLong() >>> 11;
            return bits * 0x1.0p-53 < fraction;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
