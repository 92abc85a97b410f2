package io.changeover.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import io.changeover.transform.blob.BlobReference;
import io.changeover.transform.blob.ObjectStore;

/**
 * Checks every blob reference in a target document ({@code {storage_key, size, sha256, bucket}}, anywhere in it):
 * its object must exist in the object store, and the sha-256 of the stored bytes must be the referenced one.
 */
final class BlobCheck {
    private final ObjectStore store;

    BlobCheck(ObjectStore store) {
        this.store = store;
    }

    List<Difference> check(BsonDocument actual) {
        List<Difference> found = new ArrayList<>();
        visit(actual, "", actual.get("_id"), found);
        return found;
    }

    private void visit(BsonValue value, String path, BsonValue id, List<Difference> found) {
        if (value.isDocument()) {
            BsonDocument doc = value.asDocument();
            if (isReference(doc)) {
                checkOne(BlobReference.fromDocument(doc), path, id, found);
                return;
            }
            doc.forEach((k, v) -> visit(v, path.isEmpty() ? k : path + "." + k, id, found));
        } else if (value.isArray()) {
            for (int i = 0; i < value.asArray().size(); i++) {
                visit(value.asArray().get(i), path + "." + i, id, found);
            }
        }
    }

    static boolean isReference(BsonDocument doc) {
        return doc.isString(BlobReference.STORAGE_KEY) && doc.isString(BlobReference.SHA256)
                && doc.isString(BlobReference.BUCKET) && doc.isNumber(BlobReference.SIZE);
    }

    private void checkOne(BlobReference ref, String path, BsonValue id, List<Difference> found) {
        String where = ref.bucket() + "/" + ref.key();
        Optional<String> sha = store.sha256Of(ref.bucket(), ref.key());
        if (sha.isEmpty()) {
            found.add(new Difference(Difference.Kind.BLOB_MISSING, id, List.of(path), where + " not in "
                    + store.describe()));
        } else if (!sha.get().equalsIgnoreCase(ref.sha256())) {
            found.add(new Difference(Difference.Kind.BLOB_ALTERED, id, List.of(path), where + " has sha-256 "
                    + sha.get() + ", referenced " + ref.sha256()));
        }
    }
}
