package io.changeover.transform.blob;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.function.Supplier;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * The object store settings ({@code object.store.*}), defined into the transform's {@code ConfigDef} by
 * {@link #define} and read, with their cross-field rules, by {@link #from}: a bad combination (s3 without a region, a
 * malformed endpoint) fails when the configuration is read, before anything starts.
 */
public final class ObjectStoreConfig {
    public static final String TYPE = "object.store.type";
    public static final String PATH = "object.store.path";
    public static final String S3_ENDPOINT = "object.store.s3.endpoint";
    public static final String S3_REGION = "object.store.s3.region";
    public static final String S3_PATH_STYLE = "object.store.s3.path.style";
    public static final String S3_CREATE_BUCKETS = "object.store.s3.create.buckets";
    public static final String FILESYSTEM = "filesystem";
    public static final String S3 = "s3";

    private final String type;
    private final Path path;
    private final String endpoint;
    private final String region;
    private final boolean pathStyle;
    private final boolean createBuckets;
    private final LazyOpener opened = new LazyOpener(this::open);

    private ObjectStoreConfig(String type, Path path, String endpoint, String region, boolean pathStyle,
                              boolean createBuckets) {
        this.type = type;
        this.path = path;
        this.endpoint = endpoint;
        this.region = region;
        this.pathStyle = pathStyle;
        this.createBuckets = createBuckets;
    }

    /** Adds the object store keys to a module's definitions. */
    public static ConfigDef define(ConfigDef def) {
        return def
                .define(TYPE, Type.STRING, FILESYSTEM, ValidString.in(FILESYSTEM, S3), Importance.MEDIUM,
                        "Where dehydrated content goes: filesystem (a directory per bucket under "
                                + PATH + ") or s3 (any S3-API store; credentials from the AWS default provider "
                                + "chain: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, system properties, profile, role).")
                .define(PATH, Type.STRING, "changeover-objects", Importance.MEDIUM,
                        "Root directory of the filesystem object store (relative: to the working directory). Use a "
                                + "durable directory that the target's readers can reach.")
                .define(S3_ENDPOINT, Type.STRING, "", Importance.MEDIUM,
                        "S3 endpoint URL, e.g. http://minio:9000. Empty: AWS's endpoint for the region.")
                .define(S3_REGION, Type.STRING, "", Importance.MEDIUM,
                        "S3 region, e.g. eu-west-1; required with object.store.type=s3 (any name for "
                                + "S3-compatible servers that ignore it).")
                .define(S3_PATH_STYLE, Type.BOOLEAN, false, Importance.LOW,
                        "Path-style addressing (http://host/bucket/key) instead of virtual-host style; most "
                                + "S3-compatible servers need it.")
                .define(S3_CREATE_BUCKETS, Type.BOOLEAN, false, Importance.LOW,
                        "Create a missing bucket on first use. Off: a missing bucket stops the transform, naming it.");
    }

    /** Reads the keys {@link #define}d into a config, checking the rules between them. */
    public static ObjectStoreConfig from(AbstractConfig config) {
        String type = config.getString(TYPE);
        String path = config.getString(PATH);
        String endpoint = config.getString(S3_ENDPOINT).trim();
        String region = config.getString(S3_REGION).trim();
        if (type.equals(FILESYSTEM) && path.isBlank()) {
            throw new ConfigException(PATH, path, "the filesystem object store needs a directory");
        }
        if (type.equals(S3) && region.isEmpty()) {
            throw new ConfigException(S3_REGION, region, "object.store.type=s3 needs a region (e.g. us-east-1)");
        }
        if (!endpoint.isEmpty()) {
            checkEndpoint(endpoint);
        }
        return new ObjectStoreConfig(type, Path.of(path), endpoint, region, config.getBoolean(S3_PATH_STYLE),
                config.getBoolean(S3_CREATE_BUCKETS));
    }

    public String type() {
        return type;
    }

    /** Opens the configured store; the caller closes it. */
    public ObjectStore open() {
        if (type.equals(S3)) {
            return S3ObjectStore.open(endpoint, region, pathStyle, createBuckets, DefaultCredentialsProvider.builder().build());
        }
        return new FileSystemObjectStore(path);
    }

    /**
     * The store, opened on the first call of its {@code get()} (a spec without dehydrate steps never opens one); the
     * same store for every caller of this config, from any thread.
     */
    public Supplier<ObjectStore> lazily() {
        return opened;
    }

    /** Closes the store {@link #lazily()} opened, if it did; a later {@code get()} opens a new one. */
    public void closeOpened() {
        opened.close();
    }

    private static void checkEndpoint(String endpoint) {
        try {
            URI uri = new URI(endpoint);
            if (uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new ConfigException(S3_ENDPOINT, endpoint, "expected an http(s) URL such as http://host:9000");
            }
        } catch (URISyntaxException e) {
            throw new ConfigException(S3_ENDPOINT, endpoint, "not a URL: " + e.getMessage());
        }
    }

    /** Opens once, on the first call, from any thread. */
    private static final class LazyOpener implements Supplier<ObjectStore> {
        private final Supplier<ObjectStore> opener;
        private volatile ObjectStore store;

        LazyOpener(Supplier<ObjectStore> opener) {
            this.opener = opener;
        }

        @Override
        public ObjectStore get() {
            ObjectStore current = store;
            if (current == null) {
                synchronized (this) {
                    if (store == null) {
                        store = opener.get();
                    }
                    current = store;
                }
            }
            return current;
        }

        synchronized void close() {
            if (store != null) {
                store.close();
                store = null;
            }
        }
    }
}
