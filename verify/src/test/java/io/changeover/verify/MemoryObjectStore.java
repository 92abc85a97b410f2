package io.changeover.verify;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.changeover.transform.blob.BlobReference;
import io.changeover.transform.blob.BlobUpload;
import io.changeover.transform.blob.ObjectStore;

/** An object store in memory, whose objects a test can remove or alter. */
final class MemoryObjectStore implements ObjectStore {
    final Map<String, byte[]> objects = new ConcurrentHashMap<>();

    @Override
    public boolean putIfAbsent(BlobUpload upload) {
        BlobReference ref = upload.reference();
        return objects.putIfAbsent(ref.bucket() + "/" + ref.key(), upload.content()) == null;
    }

    @Override
    public boolean exists(String bucket, String key) {
        return objects.containsKey(bucket + "/" + key);
    }

    @Override
    public Optional<byte[]> read(String bucket, String key) {
        return Optional.ofNullable(objects.get(bucket + "/" + key));
    }

    @Override
    public Optional<String> sha256Of(String bucket, String key) {
        return read(bucket, key).map(bytes -> BlobUpload.of(bucket, bytes).reference().sha256());
    }

    @Override
    public String describe() {
        return "memory";
    }
}
