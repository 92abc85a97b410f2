package io.changeover.transform.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** {@link S3ObjectStore} against a real S3-API server (S3Proxy) in the JVM. */
class S3ObjectStoreIT {
    private static EmbeddedS3 s3;
    private static S3ObjectStore store;

    @BeforeAll
    static void start() throws Exception {
        s3 = EmbeddedS3.start();
        store = S3ObjectStore.open(s3.endpoint(), EmbeddedS3.REGION, true, true, EmbeddedS3.credentials());
    }

    @AfterAll
    static void stop() throws Exception {
        if (store != null) {
            store.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void storesContentOnceAndReadsItBack() {
        byte[] content = randomBytes(3 * 1024 * 1024 + 17, 1);
        BlobUpload upload = BlobUpload.of("results", content);

        assertThat(store.putIfAbsent(upload)).isTrue();
        assertThat(store.putIfAbsent(BlobUpload.of("results", content.clone()))).isFalse();

        String key = upload.reference().key();
        assertThat(store.exists("results", key)).isTrue();
        assertThat(store.read("results", key)).hasValueSatisfying(b -> assertThat(b).isEqualTo(content));
        assertThat(store.sha256Of("results", key)).contains(upload.reference().sha256());
    }

    @Test
    void missingObjectsAndBucketsAreEmpty() {
        String key = BlobKeys.key(BlobKeys.sha256("never".getBytes(StandardCharsets.UTF_8)));

        assertThat(store.exists("results", key)).isFalse();
        assertThat(store.exists("no-such-bucket", key)).isFalse();
        assertThat(store.read("results", key)).isEmpty();
        assertThat(store.sha256Of("no-such-bucket", key)).isEmpty();
    }

    @Test
    void anExistingObjectWithOtherContentIsAnError() {
        BlobUpload upload = BlobUpload.of("tampered", "original".getBytes(StandardCharsets.UTF_8));
        store.putIfAbsent(upload);
        try (S3Client other = rawClient()) {
            other.putObject(b -> b.bucket("tampered").key(upload.reference().key())
                            .metadata(Map.of(S3ObjectStore.SHA256_METADATA, upload.reference().sha256())),
                    RequestBody.fromString("changed!"));
        }

        assertThatThrownBy(() -> store.putIfAbsent(upload))
                .isInstanceOf(ObjectStoreException.class)
                .hasMessageContaining(upload.reference().key())
                .hasMessageContaining("expected 8 bytes and sha256 " + upload.reference().sha256());
    }

    @Test
    void aMissingBucketIsAnErrorNamingItWhenBucketsAreNotCreated() {
        try (S3ObjectStore strict = S3ObjectStore.open(s3.endpoint(), EmbeddedS3.REGION, true, false,
                EmbeddedS3.credentials())) {
            assertThatThrownBy(() -> strict.putIfAbsent(BlobUpload.of("absent-bucket", new byte[] {1})))
                    .isInstanceOf(ObjectStoreException.class)
                    .hasMessageContaining("bucket absent-bucket does not exist");
        }
    }

    @Test
    void wrongCredentialsFailLoudly() {
        try (S3ObjectStore wrong = S3ObjectStore.open(s3.endpoint(), EmbeddedS3.REGION, true, true,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("nobody", "nothing")))) {
            assertThatThrownBy(() -> wrong.putIfAbsent(BlobUpload.of("results", new byte[] {2})))
                    .isInstanceOf(ObjectStoreException.class)
                    .hasMessageContaining("results");
        }
    }

    @Test
    void anUnreachableServerFailsLoudlyNamingBucketAndKey() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (S3ObjectStore unreachable = S3ObjectStore.open("http://127.0.0.1:" + closedPort, EmbeddedS3.REGION, true,
                true, EmbeddedS3.credentials())) {
            BlobUpload upload = BlobUpload.of("results", new byte[] {3});
            assertThatThrownBy(() -> unreachable.putIfAbsent(upload))
                    .isInstanceOf(ObjectStoreException.class)
                    .hasMessageContaining("bucket results")
                    .hasMessageContaining(upload.reference().key())
                    .hasMessageContaining("127.0.0.1:" + closedPort);
        }
    }

    private static S3Client rawClient() {
        return S3Client.builder()
                .endpointOverride(URI.create(s3.endpoint()))
                .region(Region.of(EmbeddedS3.REGION))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .credentialsProvider(EmbeddedS3.credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }
}
