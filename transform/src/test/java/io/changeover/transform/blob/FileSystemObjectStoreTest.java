package io.changeover.transform.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemObjectStoreTest {
    @TempDir
    Path root;

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void storesContentUnderItsShaKeyInABucketDirectory() throws Exception {
        FileSystemObjectStore store = new FileSystemObjectStore(root);
        BlobUpload upload = BlobUpload.of("results", bytes("a,b\n1,2\n"));

        assertThat(store.putIfAbsent(upload)).isTrue();

        BlobReference ref = upload.reference();
        assertThat(ref.key()).isEqualTo("sha256/" + ref.sha256().substring(0, 2) + "/" + ref.sha256());
        assertThat(root.resolve("results").resolve(ref.key())).hasBinaryContent(bytes("a,b\n1,2\n"));
        assertThat(store.exists("results", ref.key())).isTrue();
        assertThat(store.read("results", ref.key())).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes("a,b\n1,2\n")));
        assertThat(store.sha256Of("results", ref.key())).contains(BlobKeys.sha256(bytes("a,b\n1,2\n")));
    }

    @Test
    void anExistingObjectIsNotWrittenAgain() throws Exception {
        FileSystemObjectStore store = new FileSystemObjectStore(root);
        BlobUpload upload = BlobUpload.of("results", bytes("same content"));
        store.putIfAbsent(upload);
        Path file = root.resolve("results").resolve(upload.reference().key());
        long written = Files.getLastModifiedTime(file).toMillis();
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(written - 60_000));

        assertThat(store.putIfAbsent(BlobUpload.of("results", bytes("same content")))).isFalse();

        assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(written - 60_000);
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.filter(Files::isRegularFile)).containsExactly(file);
        }
    }

    @Test
    void anExistingObjectWithOtherContentIsAnError() throws Exception {
        FileSystemObjectStore store = new FileSystemObjectStore(root);
        BlobUpload upload = BlobUpload.of("results", bytes("original"));
        store.putIfAbsent(upload);
        Files.write(root.resolve("results").resolve(upload.reference().key()), bytes("tampered"));

        assertThatThrownBy(() -> store.putIfAbsent(upload))
                .isInstanceOf(ObjectStoreException.class)
                .hasMessageContaining(upload.reference().key())
                .hasMessageContaining("expected " + upload.reference().sha256());
    }

    @Test
    void sameContentInTwoBucketsIsTwoObjects() {
        FileSystemObjectStore store = new FileSystemObjectStore(root);

        assertThat(store.putIfAbsent(BlobUpload.of("bucket-a", bytes("x")))).isTrue();
        assertThat(store.putIfAbsent(BlobUpload.of("bucket-b", bytes("x")))).isTrue();
    }

    @Test
    void missingObjectsAreEmpty() {
        FileSystemObjectStore store = new FileSystemObjectStore(root);
        String key = BlobKeys.key(BlobKeys.sha256(bytes("never stored")));

        assertThat(store.exists("results", key)).isFalse();
        assertThat(store.read("results", key)).isEmpty();
        assertThat(store.sha256Of("results", key)).isEmpty();
    }

    @Test
    void keysAndBucketsCannotLeaveTheRoot() {
        FileSystemObjectStore store = new FileSystemObjectStore(root);

        assertThatThrownBy(() -> store.read("results", "../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.read("..", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BlobUpload.of("Results_Bucket", bytes("x")))
                .hasMessageContaining("bucket name");
    }
}
