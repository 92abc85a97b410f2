package io.changeover.transform.step;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import io.changeover.transform.blob.BlobKeys;
import io.changeover.transform.blob.BlobReference;
import io.changeover.transform.blob.BlobUpload;
import io.changeover.transform.query.DocumentPath;

/**
 * {@code dehydrate: {field: <path>, min-size: <bytes>, bucket: <name> | {field: <path>, values: {<value>: <name>},
 * default: <name>}}}: content at {@code field} (binary, or a string taken as its UTF-8 bytes) of at least
 * {@code min-size} bytes (default 1 MiB) moves to the content-addressed object store; the field then holds the
 * reference {@code {storage_key, size, sha256, bucket}}. The path goes through arrays ({@code files.content} is the
 * content of every element of {@code files}), and an array at its end is dehydrated element by element. The bucket is
 * fixed, or chosen by a field of the document (e.g. the job type) with a default. Smaller content, a missing field, null, and a field that already holds a
 * reference are left as they are; any other type is a data error. The reference depends only on the content and the
 * bucket. Example: {@code dehydrate: {field: result.csv, min-size: 65536, bucket: {field: type, values: {blast:
 * blast-results}, default: results}}}.
 */
public final class DehydrateStep implements BlobStep {
    private static final Set<String> ARGUMENTS = Set.of("field", "min-size", "bucket");
    private static final Set<String> BUCKET_ARGUMENTS = Set.of("field", "values", "default");
    private static final long DEFAULT_MIN_SIZE = 1024 * 1024;

    private final DocumentPath field;
    private final long minSize;
    private final BucketChoice bucket;

    /** The bucket of a document: {@code values[document.field]}, else {@code fallback}; fixed when field is null. */
    private record BucketChoice(DocumentPath field, Map<String, String> values, String fallback) {
        String of(BsonDocument document) {
            if (field == null) {
                return fallback;
            }
            Optional<BsonValue> value = field.get(document);
            String bucket = value.filter(BsonValue::isString).map(v -> values.get(v.asString().getValue())).orElse(fallback);
            if (bucket == null) {
                throw new IllegalArgumentException("no bucket for " + field + " = "
                        + value.map(BsonValue::toString).orElse("(missing)") + " and no default bucket");
            }
            return bucket;
        }
    }

    private DehydrateStep(DocumentPath field, long minSize, BucketChoice bucket) {
        this.field = field;
        this.minSize = minSize;
        this.bucket = bucket;
    }

    static Step compile(Object arguments) {
        Map<String, Object> map = Arguments.map(arguments, "{field: <path>, min-size: <bytes>, bucket: <name>}");
        Arguments.onlyKeys(map, ARGUMENTS, "dehydrate");
        DocumentPath field = DocumentPath.parse(Arguments.string(map.get("field"), "'field', the path of the content"));
        long minSize = DEFAULT_MIN_SIZE;
        if (map.containsKey("min-size")) {
            if (!(map.get("min-size") instanceof Number n) || n.longValue() < 0 || n.doubleValue() != n.longValue()) {
                throw new IllegalArgumentException("expected 'min-size', a number of bytes >= 0, got "
                        + Arguments.describe(map.get("min-size")));
            }
            minSize = ((Number) map.get("min-size")).longValue();
        }
        if (!map.containsKey("bucket")) {
            throw new IllegalArgumentException("expected 'bucket': a bucket name, or {field: <path>, values: "
                    + "{<value>: <bucket>}, default: <bucket>}");
        }
        return new DehydrateStep(field, minSize, bucketChoice(map.get("bucket")));
    }

    private static BucketChoice bucketChoice(Object arguments) {
        if (arguments instanceof String name) {
            return new BucketChoice(null, Map.of(), BlobKeys.bucket(name));
        }
        Map<String, Object> map = Arguments.map(arguments, "'bucket': a name or {field: <path>, values: {<value>: "
                + "<bucket>}, default: <bucket>}");
        Arguments.onlyKeys(map, BUCKET_ARGUMENTS, "dehydrate's bucket");
        DocumentPath by = DocumentPath.parse(Arguments.string(map.get("field"), "'bucket.field', the path choosing it"));
        Map<String, String> values = new LinkedHashMap<>();
        if (map.containsKey("values")) {
            Map<String, Object> table = Arguments.map(map.get("values"), "'bucket.values', a map {<value>: <bucket>}");
            table.forEach((value, name) -> values.put(value, BlobKeys.bucket(Arguments.string(name, "a bucket name"))));
        }
        String fallback = map.containsKey("default")
                ? BlobKeys.bucket(Arguments.string(map.get("default"), "'bucket.default', a bucket name")) : null;
        return new BucketChoice(by, Map.copyOf(values), fallback);
    }

    @Override
    public boolean mayChangeId() {
        return field.touchesId();
    }

    @Override
    public Dehydration dehydrate(BsonDocument document) {
        List<BlobUpload> uploads = new ArrayList<>();
        BsonDocument next = PathValues.rewrite(document, field, true, value -> dehydrate(value, document, uploads));
        return new Dehydration(Optional.of(uploads.isEmpty() ? document : next), uploads);
    }

    private BsonValue dehydrate(BsonValue value, BsonDocument document, List<BlobUpload> uploads) {
        Optional<byte[]> content = content(value);
        if (content.isEmpty() || content.get().length < minSize) {
            return value;
        }
        BlobUpload upload = BlobUpload.of(bucket.of(document), content.get());
        if (!uploads.contains(upload)) {
            uploads.add(upload);
        }
        return upload.reference().toDocument();
    }

    private Optional<byte[]> content(BsonValue value) {
        if (value.isBinary()) {
            return Optional.of(value.asBinary().getData());
        }
        if (value.isString()) {
            return Optional.of(value.asString().getValue().getBytes(StandardCharsets.UTF_8));
        }
        if (value.isNull() || value.isDocument() && value.asDocument().containsKey(BlobReference.STORAGE_KEY)) {
            return Optional.empty();
        }
        throw new IllegalArgumentException("expected binary or string content at '" + field + "', got "
                + value.getBsonType());
    }
}
