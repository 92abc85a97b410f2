package io.changeover.transform.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.changeover.transform.TransformConfig;

class ObjectStoreConfigTest {
    @TempDir
    Path dir;

    @Test
    void theDefaultIsAFilesystemStore() {
        ObjectStoreConfig config = new TransformConfig(Map.of(ObjectStoreConfig.PATH, dir.toString())).objectStore();

        assertThat(config.type()).isEqualTo("filesystem");
        try (ObjectStore store = config.open()) {
            assertThat(store).isInstanceOf(FileSystemObjectStore.class);
            assertThat(((FileSystemObjectStore) store).root()).isEqualTo(dir.toAbsolutePath());
        }
    }

    @Test
    void everyUserOfAConfigSharesOneStoreOpenedOnFirstUseUntilClosed() {
        ObjectStoreConfig config = new TransformConfig(Map.of(ObjectStoreConfig.PATH, dir.toString())).objectStore();

        ObjectStore first = config.lazily().get();
        assertThat(config.lazily().get()).isSameAs(first);
        config.closeOpened();
        assertThat(config.lazily().get()).isNotSameAs(first);
    }

    @Test
    void s3NeedsARegion() {
        assertThatThrownBy(() -> new TransformConfig(Map.of(ObjectStoreConfig.TYPE, "s3")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(ObjectStoreConfig.S3_REGION);
    }

    @Test
    void aMalformedEndpointFailsAtStartup() {
        assertThatThrownBy(() -> new TransformConfig(Map.of(ObjectStoreConfig.TYPE, "s3",
                ObjectStoreConfig.S3_REGION, "eu-west-1", ObjectStoreConfig.S3_ENDPOINT, "minio:9000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("expected an http(s) URL");
    }

    @Test
    void anUnknownTypeIsRejected() {
        assertThatThrownBy(() -> new TransformConfig(Map.of(ObjectStoreConfig.TYPE, "gcs")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(ObjectStoreConfig.TYPE);
    }

    @Test
    void s3WithEndpointRegionAndPathStyleOpensAnS3Store() {
        ObjectStoreConfig config = new TransformConfig(Map.of(ObjectStoreConfig.TYPE, "s3",
                ObjectStoreConfig.S3_REGION, "eu-west-1", ObjectStoreConfig.S3_ENDPOINT, "http://localhost:9000",
                ObjectStoreConfig.S3_PATH_STYLE, "true")).objectStore();

        try (ObjectStore store = config.open()) {
            assertThat(store).isInstanceOf(S3ObjectStore.class);
            assertThat(store.describe()).isEqualTo("s3 http://localhost:9000 (region eu-west-1)");
        }
    }
}
