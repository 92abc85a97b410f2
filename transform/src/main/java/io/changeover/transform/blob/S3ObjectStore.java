package io.changeover.transform.blob;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The object store over the S3 API (AWS S3 or any S3-compatible server), with AWS SDK v2. Each object carries its
 * sha-256 as user metadata ({@value #SHA256_METADATA}, for people and tools); an existing object is checked against
 * the content by size and ETag, or by reading and hashing it when its ETag is not the content's MD5. Missing buckets are created when
 * {@code createBuckets} is set, otherwise they are an error naming the bucket.
 */
public final class S3ObjectStore implements ObjectStore {
    /** User metadata key holding the content's sha-256 (sent as {@code x-amz-meta-sha256}). */
    public static final String SHA256_METADATA = "sha256";

    private final S3Client client;
    private final String description;
    private final boolean createBuckets;
    private final Set<String> knownBuckets = ConcurrentHashMap.newKeySet();

    public S3ObjectStore(S3Client client, String description, boolean createBuckets) {
        this.client = client;
        this.description = description;
        this.createBuckets = createBuckets;
    }

    /**
     * A client for an endpoint (empty: AWS's endpoint for the region), region and addressing style, with the given
     * credentials (production: {@code DefaultCredentialsProvider}: environment, system properties, profile, container
     * or instance role).
     */
    public static S3ObjectStore open(String endpoint, String region, boolean pathStyle, boolean createBuckets,
                                     AwsCredentialsProvider credentials) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(region))
                .forcePathStyle(pathStyle)
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create());
        if (!endpoint.isEmpty()) {
            // S3-compatible servers often lack the SDK's default CRC32 trailers and checksum mode; content is
            // checked against its sha-256 key instead
            builder.endpointOverride(URI.create(endpoint))
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        String where = endpoint.isEmpty() ? "AWS" : endpoint;
        return new S3ObjectStore(builder.build(), "s3 " + where + " (region " + region + ")", createBuckets);
    }

    @Override
    public boolean putIfAbsent(BlobUpload upload) {
        BlobReference ref = upload.reference();
        Optional<HeadObjectResponse> head = head(ref.bucket(), ref.key());
        if (head.isPresent()) {
            check(upload, head.get());
            return false;
        }
        ensureBucket(ref.bucket());
        try {
            client.putObject(b -> b.bucket(ref.bucket()).key(ref.key()).contentLength(ref.size())
                            .metadata(Map.of(SHA256_METADATA, ref.sha256())),
                    RequestBody.fromBytes(upload.content()));
            return true;
        } catch (SdkException e) {
            throw failure("cannot write", ref.bucket(), ref.key(), e);
        }
    }

    @Override
    public boolean exists(String bucket, String key) {
        return head(bucket, key).isPresent();
    }

    @Override
    public Optional<byte[]> read(String bucket, String key) {
        try {
            return Optional.of(client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("cannot read", bucket, key, e);
        }
    }

    @Override
    public Optional<String> sha256Of(String bucket, String key) {
        try (ResponseInputStream<GetObjectResponse> in = client.getObject(b -> b.bucket(bucket).key(key))) {
            return Optional.of(BlobKeys.sha256(in));
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("cannot read", bucket, key, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read object " + key + " of bucket " + bucket + " from "
                    + description, e);
        }
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        client.close();
    }

    private Optional<HeadObjectResponse> head(String bucket, String key) {
        try {
            return Optional.of(client.headObject(b -> b.bucket(bucket).key(key)));
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("cannot look up", bucket, key, e);
        } catch (SdkException e) {
            throw failure("cannot look up", bucket, key, e);
        }
    }

    /**
     * Checks an existing object against the content: by size, then by ETag (the MD5 of the content for objects written
     * in one part without KMS encryption), and when the ETag says nothing, by reading and hashing the object.
     */
    private void check(BlobUpload upload, HeadObjectResponse head) {
        BlobReference ref = upload.reference();
        String etag = head.eTag() == null ? "" : head.eTag().replace("\"", "");
        if (head.contentLength() == ref.size() && etag.equalsIgnoreCase(md5(upload.content()))) {
            return;
        }
        String actual = head.contentLength() == ref.size()
                ? sha256Of(ref.bucket(), ref.key()).orElse("(missing)") : "(not computed)";
        if (!actual.equals(ref.sha256())) {
            throw new ObjectStoreException("object " + ref.key() + " of bucket " + ref.bucket() + " in " + description
                    + " exists with " + head.contentLength() + " bytes and sha256 " + actual + ", expected "
                    + ref.size() + " bytes and sha256 " + ref.sha256()
                    + ": the store is corrupt, or something else writes under its keys");
        }
    }

    private static String md5(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
    }

    private void ensureBucket(String bucket) {
        if (knownBuckets.contains(bucket)) {
            return;
        }
        try {
            client.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            if (!createBuckets) {
                throw new ObjectStoreException("bucket " + bucket + " does not exist in " + description
                        + "; create it, or set object.store.s3.create.buckets=true", e);
            }
            createBucket(bucket);
        } catch (SdkException e) {
            throw failure("cannot look up bucket", bucket, "", e);
        }
        knownBuckets.add(bucket);
    }

    private void createBucket(String bucket) {
        try {
            client.createBucket(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            if (e.statusCode() != 409) {    // 409: created meanwhile by another instance
                throw failure("cannot create bucket", bucket, "", e);
            }
        } catch (SdkException e) {
            throw failure("cannot create bucket", bucket, "", e);
        }
    }

    private ObjectStoreException failure(String what, String bucket, String key, SdkException e) {
        return new ObjectStoreException(what + " " + (key.isEmpty() ? "" : "object " + key + " of ") + "bucket " + bucket
                + " in " + description + ": " + e.getMessage(), e);
    }
}
