package io.changeover.transform.step;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.UuidRepresentation;

import io.changeover.transform.canonical.CanonicalForm;
import io.changeover.transform.query.DocumentPath;

/**
 * {@code rehash-id: {fields: [<path>, ...], algorithm: sha256|uuid5, namespace: <uuid>, keep-old-id: <field>}}: the
 * new {@code _id} is a hash of the {@link CanonicalForm} (the spec's {@code canonical}, default {@code v1}) of the document {@code {<path>: <value>, ...}} made of the
 * chosen fields (a missing field is left out), so equal payloads get equal ids whatever their field order or numeric
 * types. {@code sha256} (default) gives 64 lowercase hex digits as a string; {@code uuid5} gives a name-based UUID
 * (RFC 4122 version 5, SHA-1, in {@code namespace}, default the URL namespace) as a UUID binary (subtype 4). Without
 * {@code fields}, every field but {@code _id} is hashed. {@code keep-old-id} copies the old {@code _id} into a field.
 */
public final class RehashIdStep implements Step {
    private static final Set<String> ARGUMENTS = Set.of("fields", "algorithm", "namespace", "keep-old-id");
    static final UUID URL_NAMESPACE = UUID.fromString("6ba7b811-9dad-11d1-80b4-00c04fd430c8");
    private final List<DocumentPath> fields;
    private final boolean uuid5;
    private final UUID namespace;
    private final DocumentPath keepOldId;
    private final CanonicalForm form;

    private RehashIdStep(List<DocumentPath> fields, boolean uuid5, UUID namespace, DocumentPath keepOldId,
            CanonicalForm form) {
        this.form = form;
        this.fields = fields;
        this.uuid5 = uuid5;
        this.namespace = namespace;
        this.keepOldId = keepOldId;
    }

    static Step compile(Object arguments, CanonicalForm form) {
        Map<String, Object> map = arguments == null ? Map.of()
                : Arguments.map(arguments, "{fields: [<path>, ...], algorithm: sha256|uuid5}");
        Arguments.onlyKeys(map, ARGUMENTS, "rehash-id");
        List<DocumentPath> fields = new ArrayList<>();
        if (map.containsKey("fields")) {
            for (Object field : Arguments.list(map.get("fields"), "'fields', the paths to hash")) {
                fields.add(DocumentPath.parse(Arguments.string(field, "a field path")));
            }
        }
        String algorithm = map.containsKey("algorithm") ? Arguments.string(map.get("algorithm"), "'algorithm'") : "sha256";
        if (!algorithm.equals("sha256") && !algorithm.equals("uuid5")) {
            throw new IllegalArgumentException("unknown algorithm '" + algorithm + "'; expected sha256 or uuid5");
        }
        UUID namespace = URL_NAMESPACE;
        if (map.containsKey("namespace")) {
            namespace = UUID.fromString(Arguments.string(map.get("namespace"), "'namespace', a UUID"));
        }
        DocumentPath keep = map.containsKey("keep-old-id")
                ? DocumentPath.parse(Arguments.string(map.get("keep-old-id"), "'keep-old-id', a field path")) : null;
        return new RehashIdStep(List.copyOf(fields), algorithm.equals("uuid5"), namespace, keep, form);
    }

    @Override
    public Optional<BsonDocument> apply(BsonDocument document) {
        BsonValue id = hash(form.bytes(payload(document)));
        BsonDocument current = document;
        if (keepOldId != null && document.containsKey("_id")) {
            current = keepOldId.with(current, document.get("_id"));
        }
        BsonDocument result = new BsonDocument("_id", id);
        current.forEach((k, v) -> {
            if (!k.equals("_id")) {
                result.put(k, v);
            }
        });
        return Optional.of(result);
    }

    private BsonDocument payload(BsonDocument document) {
        BsonDocument payload = new BsonDocument();
        if (fields.isEmpty()) {
            document.forEach((k, v) -> {
                if (!k.equals("_id")) {
                    payload.put(k, v);
                }
            });
            return payload;
        }
        for (DocumentPath field : fields) {
            field.get(document).ifPresent(v -> payload.put(field.toString(), v));
        }
        return payload;
    }

    private BsonValue hash(byte[] canonical) {
        return uuid5 ? new BsonBinary(uuid5(namespace, canonical), UuidRepresentation.STANDARD)
                : new BsonString(sha256(canonical));
    }

    /** The {@code sha256} id: 64 lowercase hex digits of SHA-256 over the canonical bytes. */
    static String sha256(byte[] canonical) {
        return HexFormat.of().formatHex(digest("SHA-256", canonical));
    }

    /** The {@code uuid5} id: RFC 4122 version 5 (SHA-1) of the canonical bytes in {@code namespace}. */
    static UUID uuid5(UUID namespace, byte[] canonical) {
        byte[] ns = ByteBuffer.allocate(16).putLong(namespace.getMostSignificantBits())
                .putLong(namespace.getLeastSignificantBits()).array();
        byte[] input = new byte[16 + canonical.length];
        System.arraycopy(ns, 0, input, 0, 16);
        System.arraycopy(canonical, 0, input, 16, canonical.length);
        byte[] sha1 = digest("SHA-1", input);
        sha1[6] = (byte) ((sha1[6] & 0x0f) | 0x50);
        sha1[8] = (byte) ((sha1[8] & 0x3f) | 0x80);
        ByteBuffer bytes = ByteBuffer.wrap(sha1, 0, 16);
        return new UUID(bytes.getLong(), bytes.getLong());
    }

    private static byte[] digest(String algorithm, byte[] input) {
        try {
            return MessageDigest.getInstance(algorithm).digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JVM", e);
        }
    }
}
