package io.changeover.transform.blob;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The layout of content-addressed keys, {@code sha256/<first two hex digits>/<sha256 hex>}, and bucket names (S3's
 * rules, which also make them safe directory names). The key depends only on the content.
 */
public final class BlobKeys {
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private BlobKeys() {
    }

    /** The key of content with this sha-256 (lower-case hex). */
    public static String key(String sha256) {
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("expected a sha-256 in lower-case hex, got '" + sha256 + "'");
        }
        return "sha256/" + sha256.substring(0, 2) + "/" + sha256;
    }

    /** Checks a bucket name: 3 to 63 characters, lower-case letters, digits, dots and hyphens. */
    public static String bucket(String name) {
        if (name == null || !BUCKET.matcher(name).matches() || name.contains("..")) {
            throw new IllegalArgumentException("expected a bucket name of 3 to 63 characters [a-z0-9.-], starting and "
                    + "ending with a letter or digit, got '" + name + "'");
        }
        return name;
    }

    public static String sha256(byte[] content) {
        return HexFormat.of().formatHex(digest().digest(content));
    }

    /** The sha-256 of a stream's remaining bytes; does not close it. */
    public static String sha256(InputStream in) throws IOException {
        MessageDigest digest = digest();
        byte[] buffer = new byte[64 * 1024];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
