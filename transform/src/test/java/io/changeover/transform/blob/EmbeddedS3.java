package io.changeover.transform.blob;

import java.net.URI;
import java.util.Properties;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.TransientApiMetadata;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A real S3-API server in this JVM for tests: S3Proxy (from Maven Central) over jclouds' in-memory ("transient")
 * blob store, with AWS signature v4 authentication, on a free local port. Kept in transform's test sources because
 * S3Proxy brings Jetty 11, Guava and jclouds, which the other modules' test classpaths do not need.
 */
public final class EmbeddedS3 implements AutoCloseable {
    public static final String ACCESS_KEY = "changeover-test";
    public static final String SECRET_KEY = "changeover-test-secret";
    public static final String REGION = "us-east-1";

    private final S3Proxy proxy;
    private final BlobStoreContext context;

    private EmbeddedS3(S3Proxy proxy, BlobStoreContext context) {
        this.proxy = proxy;
        this.context = context;
    }

    /** Starts the server and waits until it listens. */
    public static EmbeddedS3 start() throws Exception {
        BlobStoreContext context = ContextBuilder.newBuilder(new TransientApiMetadata())
                .credentials(ACCESS_KEY, SECRET_KEY)
                .overrides(new Properties())
                .build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;   // Jetty starts in the background
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                proxy.stop();
                throw new IllegalStateException("S3Proxy did not start within 30 s: " + proxy.getState());
            }
            Thread.sleep(10);
        }
        return new EmbeddedS3(proxy, context);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    public static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
