package io.changeover.transform.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The default object store: a directory per bucket under a root, objects at their key's path
 * ({@code <root>/<bucket>/sha256/ab/ab12...}). An object is written to a temporary file in its directory, forced to
 * disk, and moved into place atomically, so a reader never sees a partial object and concurrent writers of the same content are harmless.
 */
public final class FileSystemObjectStore implements ObjectStore {
    private final Path root;

    public FileSystemObjectStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public boolean putIfAbsent(BlobUpload upload) {
        BlobReference ref = upload.reference();
        Path target = path(ref.bucket(), ref.key());
        if (Files.exists(target)) {
            check(ref, target);
            return false;
        }
        try {
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), ".upload-", ".tmp");
            try {
                writeDurably(temp, upload.content());
                move(temp, target);
            } finally {
                Files.deleteIfExists(temp);
            }
            return true;
        } catch (IOException e) {
            throw new ObjectStoreException("cannot write object " + ref.key() + " of bucket " + ref.bucket()
                    + " under " + root + ": " + e, e);
        }
    }

    @Override
    public boolean exists(String bucket, String key) {
        return Files.isRegularFile(path(bucket, key));
    }

    @Override
    public Optional<byte[]> read(String bucket, String key) {
        try {
            return Optional.of(Files.readAllBytes(path(bucket, key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read object " + key + " of bucket " + bucket + " under " + root, e);
        }
    }

    @Override
    public Optional<String> sha256Of(String bucket, String key) {
        try (InputStream in = Files.newInputStream(path(bucket, key))) {
            return Optional.of(BlobKeys.sha256(in));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read object " + key + " of bucket " + bucket + " under " + root, e);
        }
    }

    @Override
    public String describe() {
        return "filesystem " + root;
    }

    private void check(BlobReference ref, Path target) {
        String actual = sha256Of(ref.bucket(), ref.key()).orElseThrow(
                () -> new ObjectStoreException("object " + target + " disappeared while being checked"));
        if (!actual.equals(ref.sha256())) {
            throw new ObjectStoreException("object " + target + " exists with sha256 " + actual + ", expected "
                    + ref.sha256() + ": the store is corrupt, or something else writes under its keys");
        }
    }

    /** Writes and forces the bytes to disk, so that a crash after the target record commits cannot lose the object. */
    private static void writeDurably(Path path, byte[] content) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private Path path(String bucket, String key) {
        Path path = root.resolve(BlobKeys.bucket(bucket)).resolve(key).normalize();
        if (!path.startsWith(root.resolve(bucket)) || key.contains("..")) {
            throw new IllegalArgumentException("object key '" + key + "' leaves its bucket directory");
        }
        return path;
    }
}
